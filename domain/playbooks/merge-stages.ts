import type { StageInput } from '../stage-schema';
import type { DraftStage } from './types';

/**
 * Request stages override playbook stages by key, field by field (audience one level deeper), so
 * `{ key: 'follow-up', at: { after: 'P2D' } }` moves the follow-up and keeps the rest. Keys the
 * playbook does not know are new stages, after the playbook's in declaration order.
 */
export function mergeStages(
  defaults: readonly DraftStage[],
  requested: readonly StageInput[] = [],
): DraftStage[] {
  const out = defaults.map((s) => ({ ...s }));
  requested.forEach((entry, i) => {
    const path = `stages.${i}`;
    const { key, audience, ...fields } = entry;
    const index = out.findIndex((s) => s.key === key);
    const base: DraftStage = index >= 0 ? out[index]! : { key, source: 'request' };
    const merged: DraftStage = {
      ...base,
      ...fields,
      source: 'request',
      ...(audience ? { audience: { ...base.audience, ...audience } } : {}),
      // An explicit time is the organizer's: it is checked, never silently dropped.
      ...(entry.at || index < 0 ? { atPath: `${path}.at`, dropIfPast: false } : {}),
      // Where this stage's content is, or belongs when a new stage has none.
      ...(entry.content || index < 0 ? { contentPath: `${path}.content` } : {}),
    };
    if (index >= 0) out[index] = merged;
    else out.push(merged);
  });
  return out;
}
