/**
 * Temporal failure types that activities raise and the workflow names in its retry policy
 * (`nonRetryableErrorTypes`): written once so the two never drift. The workflow's own refusals of
 * Updates are in domain/refusals.ts.
 */
export const ACTIVITY_FAILURES = {
  /** The stage run row is gone (the campaign was erased or never stored): retrying cannot help. */
  stageRunMissing: 'StageRunMissing',
  /** The campaign row is gone: retrying cannot help. */
  campaignMissing: 'CampaignMissing',
} as const;
