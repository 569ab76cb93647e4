import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { deleteCampaign, insertCampaign } from '../../db/campaigns';
import type { Sql } from '../../db/client';
import { templateOverrides } from '../../db/stage-templates';
import { appealByInstant } from '../../domain/case-sheet';
import { tryExpandDefinition } from '../../domain/playbooks';
import type { ExpandedCampaign } from '../../domain/resolved-stage';
import { CampaignKindKey, CampaignStatusKey, OrgIdKey } from '../../domain/search-attributes';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { surveyWorkflow } from '../../workflows/survey';
import type { AppDeps } from '../context';
import { badRequest, ProblemError } from '../errors/problem';
import { toStagePlans } from './campaign-plan';

export interface CreatedCampaign {
  id: string;
  workflowId: string;
  status: string;
  stages: Array<{ key: string; scheduledAt: string }>;
}

/**
 * Validates and expands a definition, or answers 400 naming every bad field. Stages without text
 * take the prewritten templates, in the organization's own wording where it has one.
 */
export async function expandOrReject(
  sql: Sql,
  orgId: string,
  body: unknown,
  now = new Date(),
): Promise<ExpandedCampaign> {
  const templates = await templateOverrides(sql, orgId);
  const result = tryExpandDefinition(body, { now, templates });
  if (!result.ok) throw badRequest('Invalid campaign definition', result.issues);
  return result.campaign;
}

/**
 * One campaign row and one workflow (`campaign-<id>`). A replayed Idempotency-Key finds the same
 * row, and starting its workflow again is a no-op (USE_EXISTING), so a half-finished earlier
 * attempt is completed rather than duplicated.
 */
export async function createCampaign(
  deps: AppDeps,
  opts: { orgId: string; body: unknown; idempotencyKey?: string; partnerId?: string; campaignId?: string },
): Promise<{ campaign: CreatedCampaign; created: boolean }> {
  const expanded = await expandOrReject(deps.sql, opts.orgId, opts.body);
  const { row, created } = await insertCampaign(deps.sql, {
    id: opts.campaignId ?? randomUUID(),
    orgId: opts.orgId,
    kind: expanded.kind,
    title: expanded.title,
    definition: expanded,
    idempotencyKey: opts.idempotencyKey,
    partnerId: opts.partnerId,
  });
  try {
    await deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: TASK_QUEUES.orchestrator,
      workflowId: row.workflow_id,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [
        {
          campaignId: row.id,
          orgId: row.org_id,
          kind: row.kind,
          title: row.title,
          stages: toStagePlans(row.definition),
          ...(row.definition.case?.appealBy
            ? { appealBy: appealByInstant(row.definition.case.appealBy) }
            : {}),
        },
      ],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CampaignKindKey, value: row.kind },
        { key: OrgIdKey, value: row.org_id },
        { key: CampaignStatusKey, value: 'scheduled' },
      ]),
    });
    // A monitoring campaign's conversations run beside it (workflows/survey.ts).
    if (row.kind === 'monitoring')
      await deps.temporal.workflow.start(surveyWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `survey-${row.id}`,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [
          { campaignId: row.id, orgId: row.org_id, sweepEveryMs: deps.config.SURVEY_SWEEP_SECONDS * 1000 },
        ],
      });
  } catch (err) {
    // Nothing half-made stays behind: without a workflow the row would be a campaign that never runs.
    if (created && !opts.idempotencyKey) await deleteCampaign(deps.sql, row.id);
    deps.log.error(
      { err: { name: (err as Error).name, message: (err as Error).message } },
      'workflow start failed',
    );
    throw new ProblemError(
      'orchestration-unavailable',
      'The campaign could not be started; retry (with the same Idempotency-Key).',
    );
  }
  return {
    created,
    campaign: {
      id: row.id,
      workflowId: row.workflow_id,
      status: row.status,
      stages: (row.definition.stages ?? []).map((s) => ({ key: s.key, scheduledAt: s.scheduledAt })),
    },
  };
}
