import type { Target } from '../action-schema';
import type { CampaignDefinition } from '../campaign-schema';
import { formatDuration, parseDuration } from '../duration';
import { PLAYBOOK_DEFAULTS } from './defaults';
import type { DraftStage, PlaybookStages } from './types';

/**
 * One ask per week (`week-1` … `week-N`), each naming that week's targets, then an escalation
 * (press and partner push) on params.respondByDate, or one interval after the last ask.
 */
export function sanctionsLobbyingStages(def: CampaignDefinition): PlaybookStages {
  const params = def.params ?? {};
  const weeklyTargets = params.weeklyTargets ?? [];
  // A list of weekly targets without a week count sets the count.
  const weeks = params.weeks ?? (weeklyTargets.length || PLAYBOOK_DEFAULTS.weeks);
  const every = parseDuration(params.askEvery ?? PLAYBOOK_DEFAULTS.askEvery);
  const url = def.action?.url;
  const stages: DraftStage[] = [];
  const named = new Map<string, Target>();
  for (let week = 1; week <= weeks; week++) {
    const targets = weeklyTargets[week - 1] ?? def.action?.targets ?? [];
    for (const t of targets) named.set(t.name, t);
    stages.push({
      key: `week-${week}`,
      at: { after: formatDuration((week - 1) * every) },
      atPath: params.askEvery ? 'params.askEvery' : 'params.weeks',
      audience: { select: 'all' },
      channel: 'sms_then_email',
      ...(url ? { action: { url, targets } } : {}),
      source: 'playbook',
    });
  }
  const pending = [...named.values()];
  stages.push({
    key: 'escalation',
    at: params.respondByDate
      ? { before: 'P0D', anchor: 'respondByDate' }
      : { after: formatDuration(weeks * every) },
    atPath: params.respondByDate ? 'params.respondByDate' : 'params.weeks',
    audience: { select: 'all' },
    // The push needs the full brief (email) and reach (SMS).
    channel: 'both',
    ...(pending.length > 0 ? { condition: { targetsPending: pending.map((t) => t.name) } } : {}),
    ...(url ? { action: { url, targets: pending } } : {}),
    source: 'playbook',
  });
  return { stages, issues: [] };
}
