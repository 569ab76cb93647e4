import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getCampaign } from '../../db/campaigns';
import { caseUpdateSchema } from '../../domain/campaign-schema';
import { type CampaignStatus, TERMINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-status';
import { fiOfStageKey } from '../../domain/case-sheet';
import { contentSchema } from '../../domain/content-schema';
import { stageEditSchema } from '../../domain/stage-schema';
import {
  cancelSignal,
  caseUpdateUpdate,
  editStageUpdate,
  pauseSignal,
  resumeSignal,
} from '../../workflows/messages';
import type { AppDeps, AppEnv } from '../context';
import { forbidden, notFound, ProblemError } from '../errors/problem';
import { workflowProblem } from '../errors/workflow-errors';
import { StatusAnswer } from '../schemas/campaign';
import { conflictResponse, errorResponses, IdParam, json, problem, security } from '../schemas/common';
import { audit } from '../services/audit';
import { caseUpdateTemplate } from '../services/case-update-text';

/** A case update as requested: without content, the prewritten Further Information or closure text goes out. */
const caseUpdateRequestSchema = caseUpdateSchema.extend({
  content: contentSchema
    .optional()
    .describe(
      'Default: the prewritten text (Further Information, or the closure of the resolution), in the organization’s wording where it has one',
    ),
});

const controls = {
  pause: {
    signal: pauseSignal,
    status: 'paused',
    summary: 'Hold the campaign: a due stage waits, a running stage stops at the next page',
  },
  resume: { signal: resumeSignal, status: 'running', summary: 'Resume a paused campaign' },
  cancel: { signal: cancelSignal, status: 'cancelled', summary: 'Stop the campaign for good' },
} as const;

const StageKeyParams = IdParam.extend({
  key: z
    .string()
    .max(64)
    .openapi({ param: { name: 'key', in: 'path' }, example: 'follow-up' }),
});

const StageAnswer = z
  .object({
    key: z.string(),
    scheduledAt: z.string(),
    status: z.string(),
    counts: z.record(z.string(), z.number()),
  })
  .openapi('Stage');

const editRoute = createRoute({
  method: 'patch',
  path: '/v1/campaigns/{id}/stages/{key}',
  tags: ['campaigns'],
  summary: 'Change the time or content of a stage that has not started',
  security,
  request: {
    params: StageKeyParams,
    body: { required: true, content: { 'application/json': { schema: stageEditSchema } } },
  },
  responses: {
    200: json(StageAnswer, 'The stage as now planned'),
    ...errorResponses,
    404: problem('Unknown campaign or stage, or belonging to another organization', [
      'not-found',
      'unknown-stage',
    ]),
    ...conflictResponse(['stage-started', 'campaign-ended', 'campaign-not-running']),
  },
});

const caseUpdateRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{id}/case-updates',
  tags: ['campaigns'],
  summary: 'Broadcast a case update now; with a resolution, close the case',
  security,
  request: {
    params: IdParam,
    body: { required: true, content: { 'application/json': { schema: caseUpdateRequestSchema } } },
  },
  responses: {
    202: json(
      z
        .object({
          key: z.string(),
          fi: z
            .number()
            .int()
            .openapi({ description: 'Further Information number (FI 1, FI 2, …; the closure is the last)' }),
        })
        .openapi('CaseUpdateAccepted'),
      'Accepted; goes out now',
    ),
    ...errorResponses,
    ...conflictResponse(['campaign-ended', 'campaign-not-running']),
  },
});

export function registerCampaignControlRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql, temporal } = deps;
  const campaignOr404 = async (orgId: string, id: string) => {
    const row = await getCampaign(sql, orgId, id);
    if (!row) throw notFound('No such campaign');
    return row;
  };

  for (const [name, control] of Object.entries(controls)) {
    const route = createRoute({
      method: 'post',
      path: `/v1/campaigns/{id}/${name}`,
      tags: ['campaigns'],
      summary: control.summary,
      security,
      request: { params: IdParam },
      responses: {
        202: json(StatusAnswer, 'Signalled'),
        ...errorResponses,
        ...conflictResponse(['campaign-ended', 'campaign-not-running']),
      },
    });
    app.openapi(route, async (c) => {
      const principal = c.get('principal');
      const row = await campaignOr404(principal.orgId, c.req.valid('param').id);
      if (TERMINAL_CAMPAIGN_STATUSES.has(row.status as CampaignStatus))
        throw new ProblemError('campaign-ended', `The campaign has ended (${row.status})`);
      try {
        await temporal.workflow.getHandle(row.workflow_id).signal(control.signal);
      } catch (err) {
        throw workflowProblem(err);
      }
      await audit(sql, principal, `campaign.${name}`, `campaign:${row.id}`);
      return c.json({ status: control.status }, 202);
    });
  }

  app.openapi(editRoute, async (c) => {
    const principal = c.get('principal');
    const { id, key } = c.req.valid('param');
    const row = await campaignOr404(principal.orgId, id);
    const edit = c.req.valid('json');
    if (principal.role === 'translator' && Object.keys(edit).some((k) => k !== 'content'))
      throw forbidden('A translator may change only the content of a stage');
    try {
      const stage = await temporal.workflow
        .getHandle(row.workflow_id)
        .executeUpdate(editStageUpdate, { args: [{ key, ...edit }] });
      await audit(sql, principal, 'campaign.edit_stage', `campaign:${row.id}`, {
        key,
        at: edit.at,
        content: edit.content !== undefined,
      });
      return c.json(stage, 200);
    } catch (err) {
      throw workflowProblem(err);
    }
  });

  app.openapi(caseUpdateRoute, async (c) => {
    const principal = c.get('principal');
    const row = await campaignOr404(principal.orgId, c.req.valid('param').id);
    const request = c.req.valid('json');
    const body = {
      ...request,
      content:
        request.content ??
        (await caseUpdateTemplate(sql, principal.orgId, row.definition, request.resolution)),
    };
    try {
      const accepted = await temporal.workflow
        .getHandle(row.workflow_id)
        .executeUpdate(caseUpdateUpdate, { args: [body] });
      await audit(
        sql,
        principal,
        body.resolution ? 'campaign.close' : 'campaign.case_update',
        `campaign:${row.id}`,
        {
          audience: body.audience,
          resolution: body.resolution,
        },
      );
      return c.json({ ...accepted, fi: fiOfStageKey(accepted.key) ?? 0 }, 202);
    } catch (err) {
      throw workflowProblem(err);
    }
  });
}
