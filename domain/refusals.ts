import { z } from 'zod';

/**
 * Every kind of refusal a client can be answered with: the problem body's `code` and the last
 * segment of its `type` URI (`…/problems/stage-started`). Stable: clients switch on these.
 */
export const REFUSAL_CODES = [
  'invalid-input',
  'unauthorized',
  'forbidden',
  'not-found',
  'unknown-stage',
  'stage-started',
  'campaign-ended',
  'campaign-not-running',
  'supporter-conflict',
  'letter-already-sent',
  'appeal-closed',
  'survey-already-answered',
  'survey-closed',
  'already-member',
  'last-owner',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'webhooks-not-configured',
  'email-not-configured',
  'orchestration-unavailable',
  'dependency-unavailable',
  'request-error',
  'internal-error',
] as const;
export const refusalCodeSchema = z.enum(REFUSAL_CODES);
export type RefusalCode = z.infer<typeof refusalCodeSchema>;

/** Failure types the campaign workflow's Update validators throw (`ApplicationFailure` `type`). */
export const WORKFLOW_REFUSAL_TYPES = [
  'InvalidRequest',
  'StageStarted',
  'CampaignEnded',
  'UnknownStage',
] as const;
export type WorkflowRefusalType = (typeof WORKFLOW_REFUSAL_TYPES)[number];

/** The workflow's names for its refusals, as the validators write them. */
export const REJECTION = {
  invalid: 'InvalidRequest',
  started: 'StageStarted',
  ended: 'CampaignEnded',
  unknownStage: 'UnknownStage',
} as const satisfies Record<string, WorkflowRefusalType>;

/** Which refusal a client sees for each workflow refusal. */
export const WORKFLOW_REFUSAL_CODES = {
  InvalidRequest: 'invalid-input',
  StageStarted: 'stage-started',
  CampaignEnded: 'campaign-ended',
  UnknownStage: 'unknown-stage',
} as const satisfies Record<WorkflowRefusalType, RefusalCode>;

export const isWorkflowRefusalType = (type: string | undefined): type is WorkflowRefusalType =>
  (WORKFLOW_REFUSAL_TYPES as readonly string[]).includes(type ?? '');
