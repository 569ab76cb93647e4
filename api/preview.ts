import type { Sql } from '../db/client';
import { type ReachRow, reachByChannel } from '../db/reach';
import { type AudienceRule, audienceRule } from '../domain/audience-rule';
import type { TagFilterInput } from '../domain/audience-schema';
import type { Content } from '../domain/content-schema';
import type { ExpandedCampaign, ResolvedStage } from '../domain/resolved-stage';
import { countSegments } from '../domain/sms-segments';
import { renderTemplate } from '../domain/template';

// Sample values of realistic length, so the segment count matches what supporters will get.
const SAMPLE = (publicBaseUrl: string) => ({
  firstName: 'Sophea',
  actionUrl: `${publicBaseUrl}/a/${'x'.repeat(32)}`,
  unsubscribeUrl: `${publicBaseUrl}/u/${'x'.repeat(32)}`,
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
  const rendered = renderTemplate(text, {
    ...vars,
    caseName: campaign.params.caseName ?? '',
    caseNumber: campaign.params.caseNumber ?? '',
    targets: campaign.action?.targets ?? [],
  });
  const { encoding, segments } = countSegments(rendered);
  return { encoding, segments };
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
  prices: { smsPerSegment: number; email: number; publicBaseUrl: string },
) {
  const cache = new Map<string, Promise<ReachRow[]>>();
  const reach = (rule: Omit<AudienceRule, 'select'>) => {
    const key = JSON.stringify([rule.campaignInclude, rule.stageInclude, rule.exclude, rule.widenedTo]);
    if (!cache.has(key)) cache.set(key, reachByChannel(sql, orgId, rule));
    return cache.get(key)!;
  };
  const campaignTags = campaign.audience.tags;
  const all = await reach(audienceRule(campaignTags, { select: 'all' }));
  const vars = SAMPLE(prices.publicBaseUrl);
  const stages = await Promise.all(
    campaign.stages.map(async (stage, index) => {
      const seg = {
        en: smsSegments(stage.content, 'en', vars, campaign),
        km: smsSegments(stage.content, 'km', vars, campaign),
      };
      // A supporter whose locale has no SMS text gets the other locale's.
      const segFor = (l: 'en' | 'km') => (seg[l] ?? seg[l === 'en' ? 'km' : 'en'])?.segments ?? 0;
      const figures = async (widenedTo: TagFilterInput[]) => {
        const rows = await reach(audienceRule(campaignTags, stage.audience, widenedTo));
        const { sms, email, recipients } = stageReach(stage, rows);
        const smsCost = (sms.en * segFor('en') + sms.km * segFor('km')) * prices.smsPerSegment;
        return {
          recipients,
          sms: seg,
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
        ...(await figures([])),
        ...(by.length > 0 ? { ifWidened: { by, ...(await figures(by.map((w) => w.widenTo.tags))) } } : {}),
      };
    }),
  );
  return { audience: audienceSummary(all), stages };
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
