import { z } from 'zod';

export const CAMPAIGN_STATUSES = [
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
  'closed',
] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

export const STAGE_STATUSES = ['pending', 'running', 'done', 'skipped', 'cancelled'] as const;
export const stageStatusSchema = z.enum(STAGE_STATUSES);
export type StageStatus = z.infer<typeof stageStatusSchema>;

/** Statuses a campaign never leaves; edits and case updates are refused once there. */
export const TERMINAL_CAMPAIGN_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  'completed',
  'cancelled',
  'closed',
]);

export function isTerminalCampaignStatus(status: CampaignStatus): boolean {
  return TERMINAL_CAMPAIGN_STATUSES.has(status);
}

/** Per-stage delivery counts of GET /v1/campaigns/:id, in supporters; `excluded` (no consent, opted out, no contact) extends API.md. */
export const stageCountsSchema = z.strictObject({
  targeted: z.int().nonnegative(),
  sent: z.int().nonnegative(),
  delivered: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  deferred: z.int().nonnegative(),
  acted: z.int().nonnegative(),
  excluded: z.int().nonnegative(),
});
export type StageCounts = z.infer<typeof stageCountsSchema>;

export const emptyStageCounts = (): StageCounts => ({
  targeted: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  deferred: 0,
  acted: 0,
  excluded: 0,
});
