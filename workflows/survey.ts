import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SurveyActivities } from '../activities/types';
import { TASK_QUEUES } from '../domain/task-queues';

/**
 * The conversations of one monitoring campaign (`survey-<campaignId>`), beside its campaign
 * workflow (which sends each round's first question as a paged stage). Replies are written to
 * Postgres by the inbound webhook, which then nudges this workflow; each wake-up is one activity
 * that sends everything due (next questions, re-asks, reminders) in a batch, so Temporal's work
 * grows with wake-ups, not with respondents. A durable timer wakes it for timeouts and for
 * questions held back by quiet hours.
 *
 * Since patch `survey-pump`: while conversations are active (a tick or pump sent something, or a
 * reply woke it), the wait until the next tick is spent in one long `surveyPump` activity that sends
 * each reply's next question as the webhook commits it (LISTEN/NOTIFY, heartbeats), so a reply is
 * answered in well under a second at the cost of one activity per pump, not one per reply.
 */

export interface SurveyWorkflowInput {
  campaignId: string;
  orgId: string;
  /** Longest sleep between sweeps over delivered first questions, ms (default one hour). */
  pollMs?: number;
  /** Sweep cadence while a round's first question goes out, ms (default one minute). */
  sweepEveryMs?: number;
  /** Events after which the run continues as new (default 5,000); tests lower it. */
  historyLimit?: number;
}

/** A reply was recorded (or a send queued): come and send what is due. Carries nothing. */
export const surveyNudgeSignal = defineSignal('surveyNudge');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const survey = proxyActivities<SurveyActivities>({
  taskQueue: TASK_QUEUES.survey,
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** A pump runs at most this long, and returns after this long without a send. */
const PUMP_MAX_MS = 10 * MINUTE;
const PUMP_IDLE_MS = MINUTE;

const pump = proxyActivities<SurveyActivities>({
  taskQueue: TASK_QUEUES.survey,
  startToCloseTimeout: PUMP_MAX_MS + 2 * MINUTE,
  // A worker that dies is noticed within this; the retry reclaims nothing it sent (sends are claimed rows).
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function surveyWorkflow(input: SurveyWorkflowInput): Promise<{ status: 'finished' }> {
  let nudges = 0;
  setHandler(surveyNudgeSignal, () => {
    nudges += 1;
  });
  const pollMs = input.pollMs ?? HOUR;
  const sweepEveryMs = input.sweepEveryMs ?? MINUTE;
  let handled = 0;
  // Replies open their own conversations; a sweep over the rounds' deliveries opens the silent ones.
  let sweepAt = Date.now();
  let pumped = 0;
  for (;;) {
    handled = nudges;
    const sweep = Date.now() >= sweepAt;
    const r = await survey.surveyTick({ campaignId: input.campaignId, materialize: sweep, sweepEveryMs });
    if (r.finished) {
      await condition(allHandlersFinished);
      return { status: 'finished' };
    }
    if (sweep)
      sweepAt = Math.min(
        Date.now() + pollMs,
        r.sweepAt === null ? Number.POSITIVE_INFINITY : Date.parse(r.sweepAt),
      );
    const untilDue = r.nextDueAt === null ? pollMs : Date.parse(r.nextDueAt) - Date.now();
    const wait = Math.min(pollMs, Math.max(0, untilDue), Math.max(0, sweepAt - Date.now()));
    const active = r.sent > 0 || pumped > 0 || nudges !== handled;
    if (active && wait > 0 && patched('survey-pump')) {
      const p = await pump.surveyPump({
        campaignId: input.campaignId,
        forMs: Math.min(wait, PUMP_MAX_MS),
        idleMs: PUMP_IDLE_MS,
      });
      pumped = p.sent + p.skipped;
    } else if (nudges === handled && wait > 0) {
      pumped = 0;
      await condition(() => nudges !== handled, wait);
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= (input.historyLimit ?? 5_000)) {
      await condition(allHandlersFinished);
      // Nudges that arrive meanwhile are not lost: the new run starts with a tick.
      await continueAsNew<typeof surveyWorkflow>(input);
    }
  }
}
