import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listOrgTokens, revokeOrgToken } from '../../db/api-tokens';
import { createToken } from '../../db/tenants';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors/problem';
import { requireRole } from '../middleware/auth';
import { errorResponses, IdParam, json, security } from '../schemas/common';
import { audit } from '../services/audit';

/** Roles an owner may give a token over the API (partner tokens need a partner: npm run admin). */
export const TOKEN_ROLES = ['organizer', 'translator', 'viewer', 'admin'] as const;

const TokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .openapi('ApiToken');

const CreateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.enum(TOKEN_ROLES),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi('ApiTokenRequest', { example: { name: 'nightly import', role: 'organizer' } });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/tokens',
  tags: ['tokens'],
  summary: 'Live API tokens: name, role, created, last used, expiry; never a secret (owner only)',
  security,
  responses: { 200: json(z.object({ items: z.array(TokenSchema) }), 'Tokens'), ...errorResponses },
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/tokens',
  tags: ['tokens'],
  summary: 'Create an API token; its secret is in this answer only (owner only)',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: CreateBody } } } },
  responses: {
    201: json(
      TokenSchema.extend({ secret: z.string() }).openapi('ApiTokenCreated'),
      'Created; store the secret now',
    ),
    ...errorResponses,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/tokens/{id}',
  tags: ['tokens'],
  summary: 'Revoke an API token (owner only)',
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...errorResponses },
});

type Listing = Awaited<ReturnType<typeof listOrgTokens>>[number];
const view = (t: Listing) => ({
  id: t.id,
  name: t.name,
  role: t.role,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});

export function registerTokenRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  for (const path of ['/v1/tokens', '/v1/tokens/*']) app.use(path, requireRole(sql, ['owner', 'admin']));

  app.openapi(listRoute, async (c) => {
    const items = await listOrgTokens(sql, c.get('principal').orgId);
    return c.json({ items: items.map(view) }, 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const principal = c.get('principal');
    const body = c.req.valid('json');
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw badRequest('Invalid expiresAt', [{ path: 'expiresAt', message: 'must be in the future' }]);
    const { id, token } = await createToken(sql, {
      orgId: principal.orgId,
      role: body.role,
      label: body.name,
      expiresAt,
      createdBy: principal.personId,
    });
    await audit(sql, principal, 'token.create', `token:${id}`, { role: body.role, name: body.name });
    const created = (await listOrgTokens(sql, principal.orgId)).find((t) => t.id === id)!;
    return c.json({ ...view(created), secret: token }, 201);
  });

  app.openapi(deleteRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    if (!(await revokeOrgToken(sql, principal.orgId, id))) throw notFound('No such token');
    await audit(sql, principal, 'token.revoke', `token:${id}`);
    return c.body(null, 204);
  });
}
