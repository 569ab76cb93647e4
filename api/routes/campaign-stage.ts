import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getCampaign } from '../../db/campaigns';
import type { AppDeps, AppEnv } from '../context';
import { notFound, ProblemError } from '../errors/problem';
import { errorResponses, IdParam, json, problem, security } from '../schemas/common';

const message = z.object({
  sms: z.string().optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
});

const StageDetailSchema = z
  .object({
    key: z.string(),
    scheduledAt: z.string(),
    channel: z.string(),
    audience: z.object({ select: z.string() }),
    content: z.object({ en: message.optional(), km: message.optional() }).openapi({
      description: 'The text the stage will send (placeholders unfilled), as launched or last edited',
    }),
    template: z.object({ id: z.string(), version: z.number().int(), origin: z.string() }).optional().openapi({
      description: 'The prewritten template the text came from at launch, when the stage gave none',
    }),
  })
  .openapi('StageDetail');

const getStageRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{id}/stages/{key}',
  tags: ['campaigns'],
  summary: 'One stage of a campaign with its text per language (what PATCH of the same path edits)',
  security,
  request: {
    params: IdParam.extend({
      key: z
        .string()
        .max(64)
        .openapi({ param: { name: 'key', in: 'path' }, example: 'follow-up' }),
    }),
  },
  responses: {
    200: json(StageDetailSchema, 'The stage'),
    ...errorResponses,
    404: problem('Unknown campaign or stage, or belonging to another organization', [
      'not-found',
      'unknown-stage',
    ]),
  },
});

/** GET /v1/campaigns/:id/stages/:key, read from the stored definition (the campaign routes' auth applies). */
export function registerCampaignStageRoute(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(getStageRoute, async (c) => {
    const { id, key } = c.req.valid('param');
    const row = await getCampaign(deps.sql, c.get('principal').orgId, id);
    if (!row) throw notFound('No such campaign');
    const stage = row.definition.stages?.find((s) => s.key === key);
    if (!stage) throw new ProblemError('unknown-stage', `No stage ${key} in this campaign`);
    const template = (stage as { template?: { id: string; version: number; origin: string } }).template;
    return c.json(
      {
        key: stage.key,
        scheduledAt: stage.scheduledAt,
        channel: stage.channel,
        audience: { select: stage.audience.select },
        content: stage.content ?? row.definition.content ?? {},
        ...(template ? { template } : {}),
      },
      200,
    );
  });
}
