import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { readCampaignListPage, readCampaignPage } from '../../db/campaign-page-read';
import { actionRateFromRead } from '../../db/campaign-stats-cache';
import { campaignDefinitionSchema } from '../../domain/campaign-schema';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors/problem';
import { requireRole } from '../middleware/auth';
import { requireJson } from '../middleware/content-type';
import {
  CampaignListQuery,
  CampaignListSchema,
  CampaignSchema,
  CreatedCampaignSchema,
  PreviewSchema,
} from '../schemas/campaign';
import { errorResponses, IdParam, json, security } from '../schemas/common';
import { audit } from '../services/audit';
import { createCampaign, expandOrReject } from '../services/campaign-service';
import { campaignSummary, campaignView } from '../services/campaign-view';
import { casePreview } from '../services/case-preview';
import { cursorPage, decodeCursor } from '../services/cursor';
import { previewCampaign } from '../services/preview';
import { registerCampaignControlRoutes } from './campaign-controls';
import { registerCampaignStageRoute } from './campaign-stage';
import { registerCaseSheetRoutes } from './case-sheet';

const definitionBody = {
  required: true,
  content: { 'application/json': { schema: campaignDefinitionSchema } },
};

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/campaigns',
  tags: ['campaigns'],
  summary: 'Launch a campaign from a playbook (or custom stages)',
  security,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: definitionBody,
  },
  responses: {
    201: json(CreatedCampaignSchema, 'Launched (or found by its Idempotency-Key)'),
    ...errorResponses,
  },
});

const previewRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/preview',
  tags: ['campaigns'],
  summary: 'What a definition would send: audience, recipients per stage, SMS segments and cost',
  security,
  request: { body: definitionBody },
  responses: { 200: json(PreviewSchema, 'The preview'), ...errorResponses },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns',
  tags: ['campaigns'],
  summary: 'Campaigns, newest first',
  security,
  request: { query: CampaignListQuery },
  responses: { 200: json(CampaignListSchema, 'A page of campaigns'), ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}',
  tags: ['campaigns'],
  summary: 'A campaign with its stages and counts',
  security,
  request: { params: IdParam },
  responses: { 200: json(CampaignSchema, 'The campaign'), ...errorResponses },
});

export function registerCampaignRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  // '/v1/campaigns/*' matches '/v1/campaigns' too: registered on both, the list checked its token twice.
  app.use('/v1/campaigns/*', requireRole(sql, ['organizer', 'admin']));
  app.use('/v1/campaigns/*', requireJson());

  app.openapi(createRouteDef, async (c) => {
    const principal = c.get('principal');
    const { campaign, created } = await createCampaign(deps, {
      orgId: principal.orgId,
      body: c.req.valid('json'),
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    if (created)
      await audit(sql, principal, 'campaign.create', `campaign:${campaign.id}`, {
        kind: c.req.valid('json').kind,
      });
    return c.json(campaign as z.infer<typeof CreatedCampaignSchema>, 201);
  });

  app.openapi(previewRoute, async (c) => {
    const expanded = await expandOrReject(sql, c.get('principal').orgId, c.req.valid('json'));
    const preview = await previewCampaign(sql, c.get('principal').orgId, expanded, {
      smsPerSegment: deps.config.SMS_PRICE_PER_SEGMENT,
      email: deps.config.EMAIL_PRICE,
      // SMS links are minted on the short origin when one is configured (infra/runtime.ts linkBaseUrl).
      linkBaseUrl: deps.config.SHORT_LINK_BASE_URL?.replace(/\/$/, '') ?? deps.publicBaseUrl,
    });
    return c.json({ ...preview, ...(expanded.case ? { case: casePreview(expanded) } : {}) }, 200);
  });

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const read = await readCampaignListPage(sql, c.get('principal').orgId, {
      status: q.status,
      kind: q.kind,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    });
    const { nextCursor } = cursorPage(
      read.map((r) => r.row),
      q.limit,
    );
    const page = read.slice(0, q.limit);
    const rates = await Promise.all(page.map(({ row, counts }) => actionRateFromRead(sql, row.id, counts)));
    const items = page.map(({ row }, k) => {
      const rate = rates[k];
      return { ...campaignSummary(row), actionRate: !rate || rate.reached === 0 ? null : rate.actionRate };
    });
    return c.json({ items, nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const read = await readCampaignPage(sql, c.get('principal').orgId, c.req.valid('param').id);
    if (!read) throw notFound('No such campaign');
    return c.json(await campaignView(sql, read), 200);
  });

  registerCampaignControlRoutes(app, deps);
  registerCampaignStageRoute(app, deps);
  registerCaseSheetRoutes(app, deps);
}
