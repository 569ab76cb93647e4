import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { supporterMessages } from '../../db/supporter-messages';
import { getSupporter } from '../../db/supporters';
import { deliveryChannelSchema } from '../../domain/channels';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors/problem';
import { errorResponses, IdParam, json, security } from '../schemas/common';

export const SupporterMessagesSchema = z
  .object({
    items: z.array(
      z.object({
        at: z.string(),
        direction: z.enum(['out', 'in']),
        type: z.enum(['campaign', 'auto_reply', 'reply']),
        channel: deliveryChannelSchema,
        status: z.string().openapi({
          description:
            'campaign: the delivery status; auto_reply: help, opt_out_confirmation, opt_in_confirmation or done_thank_you; reply: the keyword understood',
        }),
        campaignId: z.string().nullable(),
        stageKey: z.string().nullable(),
        segments: z.number().int().nullable(),
      }),
    ),
  })
  .openapi('SupporterMessages');

const route = createRoute({
  method: 'get',
  path: '/v1/supporters/{id}/messages',
  tags: ['supporters'],
  summary:
    "A supporter's message history: campaign messages, automatic answers and their replies, newest first",
  description:
    'No text of a reply and no contact detail: what was sent or understood, when, and on which campaign.',
  security,
  request: {
    params: IdParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: json(SupporterMessagesSchema, 'The history'),
    ...errorResponses,
  },
});

/** GET /v1/supporters/:id/messages (the role check is the supporters routes'). */
export function registerSupporterMessageRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  app.openapi(route, async (c) => {
    const { orgId } = c.get('principal');
    const { id } = c.req.valid('param');
    if (!(await getSupporter(sql, orgId, id))) throw notFound('No such supporter');
    const items = await supporterMessages(sql, orgId, id, c.req.valid('query').limit);
    return c.json({ items: items.map((i) => ({ ...i, at: i.at.toISOString() })) }, 200);
  });
}
