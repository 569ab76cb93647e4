import type { Target } from './action-schema';
import type { CampaignDefinition } from './campaign-schema';
import { appealByInstant } from './case-sheet';
import type { Issue } from './definition-error';

/** A target with its key fixed: the one given, else `t1`, `t2`, … by list position (skipping keys in use). */
export type KeyedTarget = Target & { key: string };

export function withTargetKeys(targets: readonly Target[] | undefined): KeyedTarget[] {
  const list = targets ?? [];
  const taken = new Set(list.map((t) => t.key).filter((k): k is string => k !== undefined));
  let n = 0;
  return list.map((t, i) => {
    if (t.key !== undefined) return { ...t, key: t.key };
    let key = `t${i + 1}`;
    while (taken.has(key)) key = `t${list.length + ++n}`;
    taken.add(key);
    return { ...t, key };
  });
}

/**
 * Problems of a case sheet that need the clock: an appeal-by date already past at `now`.
 * Paths are the request's (`case.appealBy`).
 */
export function caseIssues(def: CampaignDefinition, now: Date): Issue[] {
  const appealBy = def.case?.appealBy;
  if (appealBy === undefined) return [];
  if (Date.parse(appealByInstant(appealBy)) <= now.getTime())
    return [{ path: 'case.appealBy', message: 'is in the past: give a later date' }];
  return [];
}

/**
 * The definition as stored: target keys filled in, and with a case sheet, `params.caseName` from
 * its persons and `params.caseNumber` from its UA number when not given.
 */
export function withCaseDefaults(def: CampaignDefinition): CampaignDefinition {
  const action = def.action?.targets
    ? { ...def.action, targets: withTargetKeys(def.action.targets) }
    : def.action;
  if (!def.case) return { ...def, ...(action ? { action } : {}) };
  const params = { ...(def.params ?? {}) };
  if (params.caseName === undefined && def.case.persons?.length)
    params.caseName = def.case.persons.map((p) => p.name).join(', ');
  if (params.caseNumber === undefined) params.caseNumber = def.case.uaNumber;
  return { ...def, params, ...(action ? { action } : {}) };
}

/**
 * Every target a campaign names, keyed: the campaign's own (`action.targets`, keys as given or
 * t1, t2, …), then those only a stage names (weekly sanctions targets), numbered on.
 */
export function campaignTargets(def: {
  action?: { targets?: Target[] };
  stages?: Array<{ action?: { targets?: Target[] } }>;
}): KeyedTarget[] {
  const own = withTargetKeys(def.action?.targets);
  const names = new Set(own.map((t) => t.name));
  const keys = new Set(own.map((t) => t.key));
  const extra: KeyedTarget[] = [];
  let n = own.length;
  for (const stage of def.stages ?? [])
    for (const t of stage.action?.targets ?? []) {
      if (names.has(t.name)) continue;
      names.add(t.name);
      let key = t.key;
      while (key === undefined || keys.has(key)) key = `t${++n}`;
      keys.add(key);
      extra.push({ ...t, key });
    }
  return [...own, ...extra];
}
