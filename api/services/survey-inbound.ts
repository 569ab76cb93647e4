import type { Client } from '@temporalio/client';
import type { PhoneContext } from '../../db/inbound';
import type { Queryable } from '../../db/queryable';
import { answerQuestion, type OpenQuestion, openQuestionFor } from '../../db/survey-reply';
import { openRoundSessions, sessionState, stopSession } from '../../db/survey-sessions';
import { nextSendableTime } from '../../domain/quiet-hours';
import type { ReplyIntent } from '../../domain/reply-keywords';
import { onReply } from '../../domain/survey-flow';
import { TASK_QUEUES } from '../../domain/task-queues';
import { surveyNudgeSignal, surveyWorkflow } from '../../workflows/survey';

/** The open survey question of the phone's supporters, if any (the newest wins), locked, with its campaign. */
export async function openSurveyQuestion(
  tx: Queryable,
  ctx: PhoneContext,
): Promise<OpenQuestion | undefined> {
  const ids = ctx.supporters.map((s) => s.id);
  if (ids.length === 0) return undefined;
  // First questions are delivered as stage pages: their conversations open on the first reply or sweep.
  await openRoundSessions(tx, { supporterIds: ids });
  return openQuestionFor(tx, ids);
}

export type SurveyOutcome =
  | { handled: false }
  | { handled: true; campaignId: string; queued: boolean; understood: boolean };

/**
 * A reply while a question is open. STOP ends the conversation (the opt-out itself stays the
 * ordinary keyword handling); HELP and other keywords keep it open and are handled as usual;
 * anything else is the answer: recorded, and the next question (or a re-ask) queued for the
 * survey workflow, at the next sending window when quiet hours apply.
 */
export async function applySurveyReply(
  tx: Queryable,
  session: OpenQuestion,
  reply: { intent: ReplyIntent; body: string; now: Date },
): Promise<SurveyOutcome> {
  if (reply.intent === 'opt_out') {
    await stopSession(tx, session.id, reply.now);
    return { handled: false };
  }
  if (reply.intent !== 'other') return { handled: false };
  const campaign = session.campaign;
  if (!campaign || campaign.status === 'cancelled' || campaign.status === 'closed') return { handled: false };
  const step = onReply(campaign.survey, sessionState(session), reply.body, reply.now.getTime());
  const sendAt = !step.send
    ? null
    : campaign.quietHours
      ? nextSendableTime(reply.now, session.timezone ?? 'UTC', campaign.window)
      : reply.now;
  // A running pump hears of a send due now at commit; otherwise only the first reply since the
  // workflow's last tick wakes it, and the tick sends every reply's question.
  const dueNow = sendAt !== null && sendAt.getTime() <= reply.now.getTime();
  const { wake } = await answerQuestion(tx, session, step, { now: reply.now, sendAt, notify: dueNow });
  return { handled: true, campaignId: campaign.id, queued: wake, understood: !!step.answer };
}

/** Wakes the campaign's survey workflow (starting it if it is gone) to send what was queued. */
export async function nudgeSurvey(
  temporal: Client,
  campaignId: string,
  orgId: string,
  sweepEveryMs?: number,
): Promise<void> {
  await temporal.workflow.signalWithStart(surveyWorkflow, {
    taskQueue: TASK_QUEUES.orchestrator,
    workflowId: `survey-${campaignId}`,
    args: [{ campaignId, orgId, ...(sweepEveryMs ? { sweepEveryMs } : {}) }],
    signal: surveyNudgeSignal,
    signalArgs: [],
  });
}
