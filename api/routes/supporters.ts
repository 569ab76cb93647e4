import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { suppressionKeys } from '../../core/runtime';
import { searchSupporters } from '../../db/supporter-search';
import { eraseSupporter, getSupporter, upsertSupporter } from '../../db/supporters';
import { findSuppressions, suppressionsOf } from '../../db/suppressions';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors/problem';
import { normalizeSupporter, orgInput, toSupporter } from '../import/supporter-input';
import { requireRole } from '../middleware/auth';
import { conflictResponse, errorResponses, IdParam, json, security } from '../schemas/common';
import { SupporterInputSchema, SupporterSchema } from '../schemas/supporter';
import { audit } from '../services/audit';
import { cursorPage, decodeCursor } from '../services/cursor';
import { registerSupporterConsentRoute } from './supporter-consent';

const upsertRoute = createRoute({
  method: 'post',
  path: '/v1/supporters',
  tags: ['supporters'],
  summary: 'Create a supporter, or update the one with the same phone or email',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: SupporterInputSchema } } } },
  responses: {
    200: json(SupporterSchema, 'Updated'),
    201: json(SupporterSchema, 'Created'),
    ...errorResponses,
    ...conflictResponse(['supporter-conflict']),
  },
});

export const SupporterListSchema = z
  .object({ items: z.array(SupporterSchema), nextCursor: z.string().nullable() })
  .openapi('SupporterList');

const SupporterListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Name, email or phone digits' }),
  tag: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/supporters',
  tags: ['supporters'],
  summary: 'Search supporters (name, email, phone digits, tag), newest first',
  security,
  request: { query: SupporterListQuery },
  responses: {
    200: json(SupporterListSchema, 'A page of supporters'),
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/supporters/{id}',
  tags: ['supporters'],
  summary: 'One supporter',
  security,
  request: { params: IdParam },
  responses: { 200: json(SupporterSchema, 'The supporter'), ...errorResponses },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/supporters/{id}',
  tags: ['supporters'],
  summary: 'Erase a supporter: contact details are removed everywhere they are stored',
  description:
    'The suppression list keeps the keyed hash (HMAC) of a phone or email that was opted out, so the opt-out outlives the record: the same number imported again stays opted out.',
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Erased' }, ...errorResponses },
});

export function registerSupporterRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  const keys = suppressionKeys(deps.config);
  app.use('/v1/supporters', requireRole(sql, ['organizer', 'admin']));
  app.use('/v1/supporters/*', requireRole(sql, ['organizer', 'admin']));

  app.openapi(upsertRoute, async (c) => {
    const { orgId } = c.get('principal');
    const normalized = normalizeSupporter(c.req.valid('json'), await orgInput(sql, orgId));
    if ('errors' in normalized) throw badRequest('Invalid supporter', normalized.errors);
    const { supporter, created, listed } = await upsertSupporter(sql, orgId, normalized.value, keys);
    await audit(
      sql,
      c.get('principal'),
      created ? 'supporter.create' : 'supporter.update',
      `supporter:${supporter.id}`,
    );
    return c.json(toSupporter(supporter, listed), created ? 201 : 200);
  });

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const rows = await searchSupporters(sql, c.get('principal').orgId, {
      q: q.q,
      tag: q.tag,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    });
    const { page, nextCursor } = cursorPage(rows, q.limit);
    const listedOf = await findSuppressions(sql, keys, page);
    return c.json({ items: page.map((r) => toSupporter(r, listedOf(r))), nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const row = await getSupporter(sql, c.get('principal').orgId, c.req.valid('param').id);
    if (!row) throw notFound('No such supporter');
    return c.json(toSupporter(row, await suppressionsOf(sql, keys, row)), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await eraseSupporter(sql, c.get('principal').orgId, id, keys))) throw notFound('No such supporter');
    await audit(sql, c.get('principal'), 'supporter.erase', `supporter:${id}`);
    return c.body(null, 204);
  });

  registerSupporterConsentRoute(app, deps);
}
