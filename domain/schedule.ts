import { DefinitionError, type Issue } from './definition-error';
import { parseDuration } from './duration';
import type { StageTiming } from './stage-schema';

/** A stage to place in time. `atPath` names its timing in errors; `dropIfPast` marks a playbook default. */
export interface SchedulableStage {
  key: string;
  at?: StageTiming;
  /** Dotted path reported when the time is missing, unresolvable or past (default `stages.<index>.at`). */
  atPath?: string;
  /** A default the organizer did not ask for explicitly: left out, not rejected, when already past. */
  dropIfPast?: boolean;
}

export type ScheduledStage<S extends SchedulableStage> = S & { scheduledAt: string };

export interface ScheduleOptions {
  now: Date | string;
  /** Overrides the definition's launchAt; both absent means launch now. */
  launchAt?: Date | string;
}

/** A launch time this far in the past is taken as clock skew between caller and service, not a mistake. */
export const LAUNCH_SKEW_MS = 5 * 60_000;

// The largest time a Date can hold.
const MAX_TIME = 8.64e15;
const iso = (t: number) => new Date(t).toISOString();
const toMs = (t: Date | string) => (typeof t === 'string' ? Date.parse(t) : t.getTime());

/** The launch instant, or an issue at `launchAt` when it lies in the past. */
export function launchTime(
  definition: { launchAt?: string },
  opts: ScheduleOptions,
): { launch: number; issues: Issue[] } {
  const now = toMs(opts.now);
  const requested = opts.launchAt ?? definition.launchAt;
  const launch = requested === undefined ? now : toMs(requested);
  if (Number.isNaN(launch))
    return { launch: now, issues: [{ path: 'launchAt', message: 'is not a valid time' }] };
  if (launch < now - LAUNCH_SKEW_MS)
    return { launch, issues: [{ path: 'launchAt', message: `${iso(launch)} is in the past` }] };
  return { launch, issues: [] };
}

function stageTime(at: StageTiming, launch: number, params: Record<string, unknown>): number | string {
  if ('at' in at) return Date.parse(at.at);
  const anchorValue = at.anchor === undefined ? launch : params[at.anchor];
  const anchor = typeof anchorValue === 'string' ? Date.parse(anchorValue) : anchorValue;
  if (typeof anchor !== 'number' || Number.isNaN(anchor)) return `params.${at.anchor} is not set to a date`;
  return 'after' in at ? anchor + parseDuration(at.after) : anchor - parseDuration(at.before);
}

function timeOrProblem(at: StageTiming, launch: number, params: Record<string, unknown>): number | string {
  try {
    return stageTime(at, launch, params);
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Places each stage in time and sorts by time (ties keep declaration order). `after` counts from
 * launch, or from `anchor` when one is named; `before` counts back from the anchor date in params.
 * A time before launch is an error naming the stage's timing path; launch itself (`after: PT0S`)
 * is fine. Throws DefinitionError listing every problem.
 */
export function resolveSchedule<S extends SchedulableStage>(
  definition: { stages: readonly S[]; params?: Record<string, unknown>; launchAt?: string },
  opts: ScheduleOptions,
): Array<ScheduledStage<S>> {
  const { launch, issues } = launchTime(definition, opts);
  const params = definition.params ?? {};
  const placed: Array<{ stage: S; time: number }> = [];
  for (const [index, stage] of definition.stages.entries()) {
    const path = stage.atPath ?? `stages.${index}.at`;
    if (!stage.at) {
      issues.push({ path, message: `required: when stage ${stage.key} fires` });
      continue;
    }
    const time = timeOrProblem(stage.at, launch, params);
    if (typeof time === 'string') issues.push({ path, message: time });
    else if (!(Math.abs(time) <= MAX_TIME)) issues.push({ path, message: 'is out of range' });
    else if (time >= launch) placed.push({ stage, time });
    else if (!stage.dropIfPast)
      issues.push({
        path,
        message: `stage ${stage.key} would fire at ${iso(time)}, before the launch at ${iso(launch)}`,
      });
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  return placed
    .sort((a, b) => a.time - b.time)
    .map(({ stage, time }) => ({ ...stage, scheduledAt: iso(time) }));
}
