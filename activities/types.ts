import type { PageResult } from '../db/page-result';
import type { createOrchestratorActivities } from './orchestrator';
import type { createReconcileActivities } from './reconcile';
import type { createSurveyActivities } from './survey';

// Workflows import these types only; the implementations live in the workers.
export type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;
export type SurveyActivities = ReturnType<typeof createSurveyActivities>;

/** One page of a stage run's snapshot, on one channel, after `afterSeq` (recipients in seq order). */
export interface DeliverPageInput {
  stageRunId: string;
  afterSeq: number;
  /** Recipients per page (domain/task-queues.ts PAGE_SIZE). */
  limit: number;
  /** The email pass of sms_then_email: only those the SMS pass could not reach. */
  fallbackOnly: boolean;
}

/**
 * What each delivery queue answers (SMS and email alike): both factories are checked against it
 * with `satisfies`, so the workflow never calls a method one of them lacks.
 */
export interface DeliveryActivities {
  deliverPage(input: DeliverPageInput): Promise<PageResult>;
  /** Sends the deferred deliveries whose quiet hours have ended; `done` once none is left. */
  deliverDeferred(input: { stageRunId: string; limit: number }): Promise<{ done: boolean }>;
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
