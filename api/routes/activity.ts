import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listActivity } from '../../db/activity';
import { ACTOR_TYPES } from '../../domain/actor';
import type { AppDeps, AppEnv } from '../context';
import { requireRole } from '../middleware/auth';
import { errorResponses, json, security } from '../schemas/common';

const ActivitySchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        action: z.string().openapi({ example: 'campaign.pause' }),
        target: z.string().nullable().openapi({ example: 'campaign:5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11' }),
        actor: z.object({
          type: z.enum(ACTOR_TYPES),
          id: z.string().nullable(),
          name: z.string(),
        }),
      }),
    ),
  })
  .openapi('Activity');

const route = createRoute({
  method: 'get',
  path: '/v1/activity',
  tags: ['organization'],
  summary: "The organization's audit log, newest first, naming who made each change",
  security,
  request: {
    query: z.object({
      campaignId: z.uuid().optional().openapi({ description: "Only this campaign's changes" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: json(ActivitySchema, 'Changes'), ...errorResponses },
});

export function registerActivityRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.use('/v1/activity', requireRole(deps.sql, ['organizer', 'admin']));
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const rows = await listActivity(deps.sql, c.get('principal').orgId, {
      target: q.campaignId ? `campaign:${q.campaignId}` : undefined,
      limit: q.limit,
    });
    return c.json({ items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) }, 200);
  });
}
