import { z } from '@hono/zod-openapi';
import type { CampaignWithCounts } from '../../db/campaign-page-read';
import { type EscalationAuditRow, escalationOf } from '../../db/campaign-stats';
import { campaignCountsFromRead } from '../../db/campaign-stats-cache';
import type { CampaignRow } from '../../db/campaigns';
import type { Sql } from '../../db/client';
import {
  type CampaignStatus,
  campaignStatusSchema,
  stageStatusSchema,
  TERMINAL_CAMPAIGN_STATUSES,
} from '../../domain/campaign-status';
import { fiOfStageKey } from '../../domain/case-sheet';
import { ESCALATION_STEPS } from '../../domain/stage-schema';
import type { CampaignSchema, CampaignSummarySchema } from '../schemas/campaign';

/** The answers as the route schemas declare them: what the handlers return is checked against these. */
export type CampaignAnswer = z.infer<typeof CampaignSchema>;
export type CampaignSummaryAnswer = z.infer<typeof CampaignSummarySchema>;

// Rows carry these as text; parsed so that a value outside the vocabulary fails here, not in a client.
const escalationStepSchema = z.enum(ESCALATION_STEPS);

/**
 * GET /v1/campaigns/:id from what db/campaign-page-read.ts read: the plan in the definition joined
 * with what each stage run did. Counts of a large campaign come from the aggregate cache entry read
 * with the row (db/campaign-stats-cache.ts), seconds old; a small campaign's are counted now.
 */
export async function campaignView(
  sql: Sql,
  { row, counts, escalations }: CampaignWithCounts & { escalations: EscalationAuditRow[] },
): Promise<CampaignAnswer> {
  const { runs, rate } = await campaignCountsFromRead(sql, row.id, counts);
  const byKey = new Map(runs.map((r) => [r.stage_key, r]));
  const planned = (row.definition.stages ?? []).map((s) => ({
    key: s.key,
    scheduledAt: s.scheduledAt ?? null,
  }));
  const updates = runs
    .filter((r) => r.kind === 'case_update')
    .map((r) => ({ key: r.stage_key, scheduledAt: r.scheduled_at?.toISOString() ?? null }));
  const fiOf = (key: string) => {
    const fi = fiOfStageKey(key);
    return fi === undefined ? {} : { fi };
  };
  const stages = [...planned, ...updates].map(({ key, scheduledAt }) => {
    const run = byKey.get(key);
    const status =
      run && run.status !== 'pending'
        ? stageStatusSchema.parse(run.status)
        : TERMINAL_CAMPAIGN_STATUSES.has(row.status as CampaignStatus)
          ? 'cancelled'
          : 'pending';
    return {
      key,
      ...fiOf(key),
      scheduledAt,
      status,
      counts: {
        targeted: run?.targeted ?? 0,
        sent: run?.sent ?? 0,
        delivered: run?.delivered ?? 0,
        failed: run?.failed ?? 0,
        deferred: run?.deferred ?? 0,
        excluded: run?.excluded ?? 0,
        acted: run?.acted ?? 0,
      },
    };
  });
  return {
    ...campaignSummary(row),
    actionRate: rate.reached === 0 ? null : rate.actionRate,
    stages,
    escalations: escalations
      .map(escalationOf)
      .map((e) => ({ ...e, step: escalationStepSchema.parse(e.step) })),
  };
}

export function campaignSummary(row: CampaignRow): Omit<CampaignSummaryAnswer, 'actionRate'> {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    kind: row.kind,
    title: row.title,
    status: campaignStatusSchema.parse(row.status),
    currentStage: row.current_stage,
    nextStageAt: row.next_stage_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
