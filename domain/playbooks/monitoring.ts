import type { CampaignDefinition } from '../campaign-schema';
import { formatDuration, parseDuration } from '../duration';
import { surveyEmailContent } from '../survey-email';
import { questionSms } from '../survey-flow';
import type { DraftStage, PlaybookStages } from './types';

/**
 * A monitoring survey: each round (`round-1` … `round-N`, one interval apart) goes out like any
 * stage (paged, quiet hours, consent, once) on the survey's channel: by SMS its first question,
 * later questions following each respondent's answers (workflows/survey.ts); by email the intro and
 * a link to the whole survey as a form page (api/routes/survey-form.tsx). `sms_then_email` sends the
 * email only to those SMS does not reach, so each supporter is asked a round on one channel.
 */
export function monitoringStages(def: CampaignDefinition): PlaybookStages {
  const survey = def.survey;
  const first = survey?.questions[0];
  if (!survey || !first) return { stages: [], issues: [] };
  const rounds = survey.repeat?.rounds ?? 1;
  const every = survey.repeat ? parseDuration(survey.repeat.every) : 0;
  const channel = survey.channel ?? 'sms';
  const sms = { en: { sms: questionSms(first, 'en') }, km: { sms: questionSms(first, 'km') } };
  // An SMS-only round keeps exactly the content it had before the email form existed.
  const email = channel === 'sms' ? undefined : surveyEmailContent(def.title, survey);
  const content = email ? { en: { ...sms.en, ...email.en }, km: { ...sms.km, ...email.km } } : sms;
  const stages: DraftStage[] = [];
  for (let round = 1; round <= rounds; round++) {
    stages.push({
      key: `round-${round}`,
      at: { after: formatDuration((round - 1) * every) },
      atPath: 'survey.repeat',
      audience: { select: 'all' },
      channel,
      content,
      source: 'playbook',
    });
  }
  return { stages, issues: [] };
}
