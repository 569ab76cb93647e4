import type { Sql } from '../../db/client';
import type { ReachRow, SmsNameRow } from '../../db/reach';
import { type AudienceRule, audienceRule } from '../../domain/audience-rule';
import type { TagFilterInput } from '../../domain/audience-schema';
import type { Content } from '../../domain/content-schema';
import { LINK_TOKEN_CHARS } from '../../domain/link-token';
import type { ExpandedCampaign, ResolvedStage } from '../../domain/resolved-stage';
import { countSegments, createSegmentCounter } from '../../domain/sms-segments';
import { firstNameOf, renderSms } from '../../domain/template';
import { previewSource, type RuleFigures } from './preview-source';
import { stageTexts } from './stage-text';

// Sample values of realistic length, so the segment count matches what supporters will get: links
// are the SMS link origin plus a token of the length the senders mint.
const SAMPLE = (linkBaseUrl: string) => ({
  firstName: 'Sophea',
  actionUrl: `${linkBaseUrl}/a/${'x'.repeat(LINK_TOKEN_CHARS)}`,
  unsubscribeUrl: `${linkBaseUrl}/u/${'x'.repeat(LINK_TOKEN_CHARS)}`,
});

const sum = (rows: ReachRow[], pick: (r: ReachRow) => boolean) =>
  rows.filter(pick).reduce((n, r) => n + r.n, 0);

function smsSegments(
  content: Content,
  locale: 'en' | 'km',
  vars: Record<string, unknown>,
  campaign: ExpandedCampaign,
) {
  const text = content[locale]?.sms;
  if (!text) return null;
  const rendered = renderSms(text, {
    ...vars,
    caseName: campaign.params.caseName ?? '',
    caseNumber: campaign.params.caseNumber ?? '',
    uaNumber: campaign.case?.uaNumber ?? '',
    caseRef: campaign.case?.uaNumber ?? '',
    targets: campaign.action?.targets ?? [],
  });
  const { encoding, segments } = countSegments(rendered);
  return { encoding, segments };
}

/**
 * Segments as they will be sent to each SMS recipient: the text of the supporter's language (or the
 * one the sender falls back to, activities/render.ts) rendered with the supporter's first name.
 */
function audienceSegments(
  stage: ResolvedStage,
  names: SmsNameRow[],
  vars: Record<string, unknown>,
  campaign: ExpandedCampaign,
  segmentsOf: (text: string) => { segments: number },
) {
  // Only the first name enters the text: names are summed per (locale, first name) and each of
  // those rendered once (a large audience has thousands of full names but far fewer first names).
  const byFirstName = new Map<string, { locale: 'en' | 'km'; firstName: string; n: number }>();
  for (const row of names) {
    const firstName = firstNameOf(row.name);
    const key = `${row.locale}\u0000${firstName}`;
    const entry = byFirstName.get(key);
    if (entry) entry.n += row.n;
    else byFirstName.set(key, { locale: row.locale, firstName, n: row.n });
  }
  const counts = new Map<number, number>();
  for (const row of byFirstName.values()) {
    const sms = (stage.content[row.locale] ?? stage.content.en ?? stage.content.km)?.sms;
    if (!sms) continue;
    const text = renderSms(sms, {
      ...vars,
      firstName: row.firstName,
      caseName: campaign.params.caseName ?? '',
      caseNumber: campaign.params.caseNumber ?? '',
      uaNumber: campaign.case?.uaNumber ?? '',
      caseRef: campaign.case?.uaNumber ?? '',
      targets: campaign.action?.targets ?? [],
    });
    const { segments } = segmentsOf(text);
    counts.set(segments, (counts.get(segments) ?? 0) + row.n);
  }
  const bySegments = [...counts].map(([segments, recipients]) => ({ segments, recipients }));
  bySegments.sort((a, b) => a.segments - b.segments);
  const fewest = bySegments[0]?.segments ?? 0;
  return {
    maxSegments: bySegments.at(-1)?.segments ?? 0,
    recipientsAboveFewest: bySegments
      .filter((b) => b.segments > fewest)
      .reduce((n, b) => n + b.recipients, 0),
    bySegments,
  };
}

/** Recipients and messages per channel of one stage, by the supporter's locale. */
function stageReach(stage: ResolvedStage, rows: ReachRow[]) {
  // Before launch nobody has acted: `acted` reaches no one and `not_acted` reaches everyone.
  const eligible = stage.audience.select === 'acted' ? [] : rows;
  const smsBy = (l: string) => sum(eligible, (r) => r.locale === l && r.sms_ok);
  const emailBy = (l: string, onlyWithoutSms: boolean) =>
    sum(eligible, (r) => r.locale === l && r.email_ok && (!onlyWithoutSms || !r.sms_ok));
  const sms = stage.channel === 'email' ? { en: 0, km: 0 } : { en: smsBy('en'), km: smsBy('km') };
  const fallbackOnly = stage.channel === 'sms_then_email';
  const email =
    stage.channel === 'sms'
      ? { en: 0, km: 0 }
      : { en: emailBy('en', fallbackOnly), km: emailBy('km', fallbackOnly) };
  const recipients = sum(eligible, (r) =>
    stage.channel === 'sms' ? r.sms_ok : stage.channel === 'email' ? r.email_ok : r.sms_ok || r.email_ok,
  );
  return { sms, email, recipients };
}

/** The widen_audience rules of stages before `index`: if they fire, stage `index` reaches their tags too. */
function widenings(campaign: ExpandedCampaign, index: number) {
  return campaign.stages.slice(0, index).flatMap((st) =>
    st.escalation?.then === 'widen_audience' && st.escalation.widenTo
      ? [
          {
            stageKey: st.key,
            ifActionRateBelow: st.escalation.ifActionRateBelow,
            widenTo: st.escalation.widenTo,
          },
        ]
      : [],
  );
}

/**
 * POST /v1/campaigns/preview: audience, per-stage recipients, segments and cost, computed with the
 * same audience rule as the snapshot. A stage that a widening may reach gets `ifWidened`: the same
 * figures for the audience it would have if every earlier widening fired.
 */
export async function previewCampaign(
  sql: Sql,
  orgId: string,
  campaign: ExpandedCampaign,
  prices: { smsPerSegment: number; email: number; linkBaseUrl: string },
  sourceOpts?: Parameters<typeof previewSource>[2],
) {
  const source = await previewSource(sql, orgId, sourceOpts);
  // One query per distinct audience rule: stages often share theirs.
  const byRule = new Map<string, RuleFigures>();
  const figuresOf = (rule: Omit<AudienceRule, 'select'>) => {
    const key = JSON.stringify([rule.campaignInclude, rule.stageInclude, rule.exclude, rule.widenedTo]);
    if (!byRule.has(key)) byRule.set(key, source.figures(rule));
    return byRule.get(key)!;
  };
  const reach = (rule: Omit<AudienceRule, 'select'>) => figuresOf(rule).reach();
  const names = (rule: Omit<AudienceRule, 'select'>) => figuresOf(rule).names();
  const segmentsOf = createSegmentCounter();
  const campaignTags = campaign.audience.tags;
  const audience = audienceRule(campaignTags, { select: 'all' });
  const all = await reach(audience);
  const vars = SAMPLE(prices.linkBaseUrl);
  const stages = await Promise.all(
    campaign.stages.map(async (stage, index) => {
      const seg = {
        en: smsSegments(stage.content, 'en', vars, campaign),
        km: smsSegments(stage.content, 'km', vars, campaign),
      };
      const figures = async (widenedTo: TagFilterInput[]) => {
        const rule = audienceRule(campaignTags, stage.audience, widenedTo);
        const rows = await reach(rule);
        const { email, recipients } = stageReach(stage, rows);
        // Before launch nobody has acted: an `acted` stage reaches no one (as in stageReach).
        const smsNames =
          stage.channel === 'email' || stage.audience.select === 'acted' ? [] : await names(rule);
        const smsAudience = audienceSegments(stage, smsNames, vars, campaign, segmentsOf);
        const segments = smsAudience.bySegments.reduce((n, b) => n + b.segments * b.recipients, 0);
        const smsCost = segments * prices.smsPerSegment;
        return {
          recipients,
          sms: seg,
          smsAudience,
          estimatedCost: {
            currency: 'USD' as const,
            sms: Math.round(smsCost * 10_000) / 10_000,
            email: Math.round((email.en + email.km) * prices.email * 10_000) / 10_000,
          },
        };
      };
      const by = widenings(campaign, index);
      return {
        key: stage.key,
        scheduledAt: stage.scheduledAt,
        channel: stage.channel,
        audienceSelect: stage.audience.select,
        text: stageTexts(campaign, stage, vars),
        ...(stage.template ? { template: stage.template } : {}),
        ...(await figures([])),
        ...(by.length > 0 ? { ifWidened: { by, ...(await figures(by.map((w) => w.widenTo.tags))) } } : {}),
      };
    }),
  );
  const summary = audienceSummary(all);
  const approximation = await source.approximation(audience, summary.total);
  return {
    audience: summary,
    stages,
    approximate: approximation !== undefined,
    ...(approximation ? { approximation } : {}),
  };
}

function audienceSummary(rows: ReachRow[]) {
  const reachable = (r: ReachRow) => r.sms_ok || r.email_ok;
  return {
    total: sum(rows, () => true),
    sms: sum(rows, (r) => r.sms_ok),
    email: sum(rows, (r) => r.email_ok),
    excluded: {
      noContact: sum(rows, (r) => !r.has_contact),
      optedOut: sum(rows, (r) => r.has_contact && !reachable(r) && r.opted_out),
      noConsent: sum(rows, (r) => r.has_contact && !reachable(r) && !r.opted_out),
    },
  };
}
