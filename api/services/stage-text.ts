import { LOCALES, type Locale } from '../../domain/content-schema';
import type { ExpandedCampaign, ResolvedStage } from '../../domain/resolved-stage';
import { countSegments } from '../../domain/sms-segments';
import { renderSms, renderTemplate, type TemplateVars } from '../../domain/template';

/** One language of a stage as a sample supporter would get it; a part the channel does not send is absent. */
export interface StageText {
  sms?: string;
  smsSegments?: { encoding: string; segments: number };
  subject?: string;
  body?: string;
}

/** The placeholders a stage fills the same way for everyone (as activities/render.ts stageVars does). */
export function campaignVars(campaign: ExpandedCampaign, stage: ResolvedStage): TemplateVars {
  return {
    caseName: campaign.params.caseName ?? '',
    caseNumber: campaign.params.caseNumber ?? '',
    uaNumber: campaign.case?.uaNumber ?? '',
    caseRef: campaign.case?.uaNumber ?? '',
    targets: stage.action?.targets ?? campaign.action?.targets ?? [],
  };
}

/**
 * Each language's text of a stage, rendered with sample values (`vars`: first name and links): what
 * the preview shows beside the segments, and where the template's text becomes visible.
 */
export function stageTexts(
  campaign: ExpandedCampaign,
  stage: ResolvedStage,
  vars: TemplateVars,
): Partial<Record<Locale, StageText>> {
  const all = { ...vars, ...campaignVars(campaign, stage) };
  const out: Partial<Record<Locale, StageText>> = {};
  for (const locale of LOCALES) {
    const m = stage.content[locale];
    if (!m) continue;
    const text: StageText = {};
    if (stage.channel !== 'email' && m.sms) {
      text.sms = renderSms(m.sms, all);
      const { encoding, segments } = countSegments(text.sms);
      text.smsSegments = { encoding, segments };
    }
    if (stage.channel !== 'sms') {
      if (m.subject) text.subject = renderTemplate(m.subject, all);
      if (m.body) text.body = renderTemplate(m.body, all);
    }
    out[locale] = text;
  }
  return out;
}
