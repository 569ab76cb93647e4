import type { CampaignDefinition } from '../campaign-schema';
import { formatDuration, parseDuration } from '../duration';
import { questionSms } from '../survey-flow';
import type { DraftStage, PlaybookStages } from './types';

/**
 * A monitoring survey: each round (`round-1` … `round-N`, one interval apart) sends the first
 * question by SMS like any stage (paged, quiet hours, consent, once); later questions follow each
 * respondent's answers (workflows/survey.ts).
 */
export function monitoringStages(def: CampaignDefinition): PlaybookStages {
  const survey = def.survey;
  const first = survey?.questions[0];
  if (!survey || !first) return { stages: [], issues: [] };
  const rounds = survey.repeat?.rounds ?? 1;
  const every = survey.repeat ? parseDuration(survey.repeat.every) : 0;
  const content = { en: { sms: questionSms(first, 'en') }, km: { sms: questionSms(first, 'km') } };
  const stages: DraftStage[] = [];
  for (let round = 1; round <= rounds; round++) {
    stages.push({
      key: `round-${round}`,
      at: { after: formatDuration((round - 1) * every) },
      atPath: 'survey.repeat',
      audience: { select: 'all' },
      channel: 'sms',
      content,
      source: 'playbook',
    });
  }
  return { stages, issues: [] };
}
