import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { stageRunCounts } from '../../db/campaign-stats';
import { type CampaignRow, getCampaign } from '../../db/campaigns';
import type { Sql } from '../../db/client';
import { letterCounts } from '../../db/letters';
import { insertTargetResponse, listTargetResponses } from '../../db/target-responses';
import type { Target } from '../../domain/action-schema';
import { appealByInstant, type CaseSheet, caseRef, fiOfStageKey } from '../../domain/case-sheet';
import { campaignTargets, type KeyedTarget } from '../../domain/case-targets';
import { appealByUpdate } from '../../workflows/messages';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors/problem';
import { workflowProblem } from '../errors/workflow-errors';
import {
  CampaignPatchAnswer,
  CampaignPatchInput,
  CaseViewSchema,
  TargetResponseInput,
  TargetResponseList,
  TargetResponseSchema,
} from '../schemas/case';
import { conflictResponse, errorResponses, IdParam, json, security } from '../schemas/common';
import { audit } from '../services/audit';
import { replyAddress } from './case-letters';

interface CaseDefinition {
  case?: CaseSheet;
  action?: { targets?: Target[] };
  stages?: Array<{ action?: { targets?: Target[] } }>;
}

/** The targets of a stored campaign, keyed (domain/case-targets.ts). */
export const targetsOf = (row: CampaignRow): KeyedTarget[] =>
  campaignTargets(row.definition as CaseDefinition);

/** A target by key, or by name (sanctions targets are named in conditions). */
export const findTarget = (targets: KeyedTarget[], ref: string) =>
  targets.find((t) => t.key === ref) ?? targets.find((t) => t.name === ref);

/** GET /v1/campaigns/:id/case, also what the console's campaign page shows. */
export async function caseView(deps: AppDeps, row: CampaignRow) {
  const def = row.definition as CaseDefinition;
  const sheet = def.case;
  const [letters, responses, runs, reply] = await Promise.all([
    letterCounts(deps.sql, row.org_id, row.id),
    listTargetResponses(deps.sql, row.org_id, row.id),
    stageRunCounts(deps.sql, { campaignId: row.id }),
    replyAddress(deps.sql, deps.config.RESEND_FROM, row.org_id, row.id),
  ]);
  return {
    uaNumber: sheet?.uaNumber ?? null,
    case: (sheet as Record<string, unknown> | undefined) ?? null,
    appealBy: sheet?.appealBy ? appealByInstant(sheet.appealBy) : null,
    replyAddress: reply,
    targets: targetsOf(row).map((t) => ({
      key: t.key,
      name: t.name,
      title: t.title ?? null,
      language: t.language ?? ('en' as const),
      salutation: t.salutation ?? null,
      address: t.address ?? null,
      hasEmail: t.email !== undefined,
      letters: letters[t.key] ?? 0,
      responses: responses.filter((r) => r.target === t.key).length,
    })),
    furtherInformation: runs
      .filter((r) => r.kind === 'case_update')
      .flatMap((r) => {
        const fi = fiOfStageKey(r.stage_key);
        if (fi === undefined) return [];
        return [
          {
            fi,
            key: r.stage_key,
            ref: caseRef(sheet?.uaNumber, fi),
            closure: r.stage_key.startsWith('closure-'),
            status: r.status,
            scheduledAt: r.scheduled_at?.toISOString() ?? null,
            sent: r.sent,
          },
        ];
      })
      .sort((a, b) => a.fi - b.fi),
    responses,
  };
}

const caseRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/case',
  tags: ['case sheet'],
  summary: 'The case sheet with letters sent and replies per target, and the Further Information sent',
  security,
  request: { params: IdParam },
  responses: { 200: json(CaseViewSchema, 'The case'), ...errorResponses },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/campaigns/{id}',
  tags: ['case sheet'],
  summary: 'Extend the appeal-by date (pending follow-ups go out again until the new date)',
  security,
  request: {
    params: IdParam,
    body: { required: true, content: { 'application/json': { schema: CampaignPatchInput } } },
  },
  responses: {
    200: json(CampaignPatchAnswer, 'The new appeal-by instant'),
    ...errorResponses,
    ...conflictResponse,
  },
});

const logResponseRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{id}/target-responses',
  tags: ['case sheet'],
  summary: "Log a target's reply (the sanctions escalation reads these)",
  security,
  request: {
    params: IdParam,
    body: { required: true, content: { 'application/json': { schema: TargetResponseInput } } },
  },
  responses: { 201: json(TargetResponseSchema, 'Logged'), ...errorResponses },
});

const listResponsesRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/target-responses',
  tags: ['case sheet'],
  summary: 'Replies from targets, oldest first (logged by organizers or received by email)',
  security,
  request: { params: IdParam },
  responses: { 200: json(TargetResponseList, 'The replies'), ...errorResponses },
});

async function campaignOr404(sql: Sql, orgId: string, id: string) {
  const row = await getCampaign(sql, orgId, id);
  if (!row) throw notFound('No such campaign');
  return row;
}

/** Case sheet routes under /v1/campaigns (auth and JSON checks come from registerCampaignRoutes). */
export function registerCaseSheetRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql, temporal } = deps;

  app.openapi(caseRoute, async (c) => {
    const row = await campaignOr404(sql, c.get('principal').orgId, c.req.valid('param').id);
    return c.json((await caseView(deps, row)) as never, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const principal = c.get('principal');
    const row = await campaignOr404(sql, principal.orgId, c.req.valid('param').id);
    const { appealBy } = c.req.valid('json');
    if (!(row.definition as CaseDefinition).case)
      throw badRequest('Invalid appealBy', [
        { path: 'appealBy', message: 'this campaign has no case sheet' },
      ]);
    const instant = appealByInstant(appealBy);
    if (Date.parse(instant) <= Date.now())
      throw badRequest('Invalid appealBy', [
        { path: 'appealBy', message: 'is in the past: give a later date' },
      ]);
    try {
      await temporal.workflow
        .getHandle(row.workflow_id)
        .executeUpdate(appealByUpdate, { args: [{ appealBy: instant }] });
    } catch (err) {
      throw workflowProblem(err);
    }
    await sql`update campaigns set definition = jsonb_set(definition, '{case,appealBy}', to_jsonb(${appealBy}::text)),
      updated_at = now() where id = ${row.id} and org_id = ${principal.orgId}`;
    await audit(sql, principal, 'campaign.appeal_by', `campaign:${row.id}`, { appealBy });
    return c.json({ id: row.id, appealBy: instant }, 200);
  });

  app.openapi(logResponseRoute, async (c) => {
    const principal = c.get('principal');
    const row = await campaignOr404(sql, principal.orgId, c.req.valid('param').id);
    const body = c.req.valid('json');
    const target = findTarget(targetsOf(row), body.target);
    if (!target)
      throw badRequest('Invalid target', [{ path: 'target', message: 'is not a target of this campaign' }]);
    const logged = await insertTargetResponse(sql, {
      orgId: principal.orgId,
      campaignId: row.id,
      target: target.key,
      targetName: target.name,
      summary: body.summary,
      receivedAt: new Date(body.receivedAt).toISOString(),
      source: 'organizer',
    });
    await audit(sql, principal, 'campaign.target_response', `campaign:${row.id}`, { target: target.key });
    return c.json(logged as never, 201);
  });

  app.openapi(listResponsesRoute, async (c) => {
    const row = await campaignOr404(sql, c.get('principal').orgId, c.req.valid('param').id);
    return c.json({ items: await listTargetResponses(sql, row.org_id, row.id) }, 200);
  });
}
