import type { CampaignDefinition } from '../campaign-schema';
import type { Issue } from '../definition-error';
import { PLAYBOOK_DEFAULTS } from './defaults';
import type { DraftStage, PlaybookStages } from './types';

export const REPORT_KEY = 'report';

/** `P30D` → `t-30d`, `PT12H` → `t-12h`. */
const countdownKey = (duration: string) => `t-${duration.replace(/[PT]/g, '').toLowerCase()}`;

/**
 * Countdown anchored to params.electionDate: reminders before it, polling day, then the
 * post-election report, which closes the window. Countdown stages already past at launch are
 * left out, so a countdown launched late starts with the next reminder.
 */
export function electionBoycottStages(def: CampaignDefinition): PlaybookStages {
  const params = def.params ?? {};
  const countdown = params.countdown ?? PLAYBOOK_DEFAULTS.countdown;
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const stages: DraftStage[] = [];
  countdown.forEach((before, i) => {
    const key = countdownKey(before);
    if (seen.has(key))
      issues.push({ path: `params.countdown.${i}`, message: `duplicate reminder ${before}` });
    seen.add(key);
    stages.push({
      key,
      at: { before, anchor: 'electionDate' },
      atPath: params.countdown ? `params.countdown.${i}` : 'params.electionDate',
      dropIfPast: true,
      source: 'playbook',
    });
  });
  stages.push(
    {
      key: 'polling-day',
      at: { before: 'P0D', anchor: 'electionDate' },
      atPath: 'params.electionDate',
      dropIfPast: true,
      source: 'playbook',
    },
    {
      key: REPORT_KEY,
      at: { after: params.reportAfter ?? PLAYBOOK_DEFAULTS.reportAfter, anchor: 'electionDate' },
      atPath: params.reportAfter ? 'params.reportAfter' : 'params.electionDate',
      source: 'playbook',
    },
  );
  for (const stage of stages) {
    stage.audience = { select: 'all' };
    stage.channel = 'sms_then_email';
  }
  return { stages, issues };
}

/**
 * The window closes with the report: a stage timed after it is rejected (not silently dropped),
 * so the organizer learns at launch that it would never go out.
 */
export function electionWindowIssues(stages: ReadonlyArray<DraftStage & { scheduledAt: string }>): {
  windowEnd?: string;
  issues: Issue[];
} {
  const report = stages.find((s) => s.key === REPORT_KEY);
  if (!report) return { issues: [] };
  const end = Date.parse(report.scheduledAt);
  const issues = stages
    .filter((s) => Date.parse(s.scheduledAt) > end)
    .map((s) => ({
      path: s.atPath ?? 'stages',
      message: `stage ${s.key} at ${s.scheduledAt} is after the election window closes with the report at ${report.scheduledAt}`,
    }));
  return { windowEnd: report.scheduledAt, issues };
}
