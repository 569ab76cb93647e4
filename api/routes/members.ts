import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { LOCALES, listMembers, MEMBER_ROLES, removeMembership, setMemberRole } from '../../db/people';
import { endPersonSessions } from '../../db/sessions';
import type { AppDeps, AppEnv } from '../context';
import { notFound, ProblemError } from '../errors/problem';
import { requireRole } from '../middleware/auth';
import { conflictResponse, errorResponses, IdParam, json, security } from '../schemas/common';
import { audit } from '../services/audit';
import { inviteMember } from '../services/invitations';
import { apiMailer } from '../services/mailer';

const MemberSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(MEMBER_ROLES),
    locale: z.enum(LOCALES),
    lastSignInAt: z.string().nullable(),
    passkeys: z.number().int().openapi({ description: 'How many passkeys the member has registered' }),
    totp: z.boolean().openapi({ description: 'An authenticator app is set up' }),
  })
  .openapi('Member');

const InvitationBody = z
  .strictObject({
    email: z.email().max(254),
    role: z.enum(MEMBER_ROLES),
    locale: z
      .enum(LOCALES)
      .optional()
      .openapi({ description: "The email's language for a new person (default en)" }),
  })
  .openapi('InvitationRequest', { example: { email: 'sokha@example.org', role: 'organizer', locale: 'km' } });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/members',
  tags: ['members'],
  summary: "The organization's members: role, factors and last sign-in (owner only)",
  security,
  responses: { 200: json(z.object({ items: z.array(MemberSchema) }), 'Members'), ...errorResponses },
});

const inviteRoute = createRoute({
  method: 'post',
  path: '/v1/members/invitations',
  tags: ['members'],
  summary: 'Invite an email address with a role: a single-use link valid 7 days goes by email (owner only)',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: InvitationBody } } } },
  responses: {
    201: json(
      z.object({ id: z.uuid(), expiresAt: z.string() }).openapi('InvitationCreated'),
      'Invitation sent',
    ),
    ...errorResponses,
    ...conflictResponse,
  },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/members/{id}',
  tags: ['members'],
  summary: "Change a member's role; their sessions end at once (owner only)",
  security,
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .strictObject({ role: z.enum(MEMBER_ROLES) })
            .openapi('MemberPatch', { example: { role: 'viewer' } }),
        },
      },
    },
  },
  responses: { 200: json(MemberSchema, 'The member'), ...errorResponses, ...conflictResponse },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/members/{id}',
  tags: ['members'],
  summary: 'Remove a member; their sessions end at once (owner only)',
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses, ...conflictResponse },
});

type Member = Awaited<ReturnType<typeof listMembers>>[number];
const memberView = (m: Member) => ({ ...m, lastSignInAt: m.lastSignInAt?.toISOString() ?? null });

export function registerMemberRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  const channel = deps.email ?? apiMailer(deps.config);
  for (const path of ['/v1/members', '/v1/members/*']) app.use(path, requireRole(sql, ['owner', 'admin']));

  const lastOwnerGuard = async (orgId: string, personId: string) => {
    const [row] = await sql<{ others: number; role: string }[]>`
      select role, (select count(*)::int from memberships where org_id = ${orgId} and role = 'owner'
        and person_id <> ${personId}) as others
      from memberships where org_id = ${orgId} and person_id = ${personId}`;
    if (!row) throw notFound('No such member');
    return row;
  };

  app.openapi(listRoute, async (c) => {
    const items = await listMembers(sql, c.get('principal').orgId);
    return c.json({ items: items.map(memberView) }, 200);
  });

  app.openapi(inviteRoute, async (c) => {
    const principal = c.get('principal');
    const body = c.req.valid('json');
    if (!channel)
      throw new ProblemError(
        503,
        'Email not configured',
        'RESEND_API_KEY is not set: invitations cannot be sent',
      );
    const invitation = await inviteMember(sql, {
      orgId: principal.orgId,
      email: body.email,
      role: body.role,
      locale: body.locale,
      invitedBy: principal.personId,
      publicBaseUrl: deps.publicBaseUrl,
      mailer: { channel, from: deps.config.RESEND_FROM },
    });
    await audit(sql, principal, 'member.invite', `invitation:${invitation.id}`, { role: body.role });
    return c.json({ id: invitation.id, expiresAt: invitation.expiresAt.toISOString() }, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const now = await lastOwnerGuard(principal.orgId, id);
    if (now.role === 'owner' && role !== 'owner' && now.others === 0)
      throw new ProblemError(409, 'Conflict', 'The last owner cannot stop being an owner', [
        { path: 'role', message: 'the organization needs at least one owner' },
      ]);
    await sql.begin(async (tx) => {
      await setMemberRole(tx, principal.orgId, id, role);
      // A new role takes effect at once: sessions opened under the old one end.
      await endPersonSessions(tx, id, principal.orgId);
    });
    await audit(sql, principal, 'member.role', `person:${id}`, { from: now.role, to: role });
    const member = (await listMembers(sql, principal.orgId)).find((m) => m.id === id);
    if (!member) throw notFound('No such member');
    return c.json(memberView(member), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const now = await lastOwnerGuard(principal.orgId, id);
    if (now.role === 'owner' && now.others === 0)
      throw new ProblemError(409, 'Conflict', 'The last owner cannot be removed');
    await sql.begin(async (tx) => {
      await removeMembership(tx, principal.orgId, id);
      await endPersonSessions(tx, id, principal.orgId);
    });
    await audit(sql, principal, 'member.remove', `person:${id}`);
    return c.body(null, 204);
  });
}
