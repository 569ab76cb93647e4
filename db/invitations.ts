import { createHash, randomBytes } from 'node:crypto';
import { type Locale, type MemberRole, normalEmail } from './people';
import type { Queryable } from './queryable';

export const INVITATION_TTL_DAYS = 7;

export interface Invitation {
  id: string;
  orgId: string;
  orgName: string;
  email: string;
  role: MemberRole;
  locale: Locale;
  expiresAt: Date;
}

/** Why a link does not open: each case gets its own clear page. */
export type InvitationState =
  | { ok: true; invitation: Invitation }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' };

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/** A new single-use invitation; returns the link's secret once (only its hash is stored). */
export async function createInvitation(
  sql: Queryable,
  opts: { orgId: string; email: string; role: MemberRole; locale: Locale; invitedBy?: string },
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const [row] = await sql<{ id: string; expires_at: Date }[]>`
    insert into invitations (org_id, email, role, locale, token_hash, invited_by, expires_at)
    values (${opts.orgId}, ${normalEmail(opts.email)}, ${opts.role}, ${opts.locale}, ${hash(secret)},
      ${opts.invitedBy ?? null}, now() + make_interval(days => ${INVITATION_TTL_DAYS}))
    returning id, expires_at`;
  return { id: row!.id, secret, expiresAt: row!.expires_at };
}

export async function readInvitation(sql: Queryable, secret: string): Promise<InvitationState> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return { ok: false, reason: 'unknown' };
  const [row] = await sql<
    {
      id: string;
      org_id: string;
      org_name: string;
      email: string;
      role: MemberRole;
      locale: Locale;
      expires_at: Date;
      accepted_at: Date | null;
      revoked_at: Date | null;
      expired: boolean;
    }[]
  >`
    select i.id, i.org_id, o.name as org_name, i.email, i.role, i.locale, i.expires_at, i.accepted_at,
      i.revoked_at, i.expires_at <= now() as expired
    from invitations i join organizations o on o.id = i.org_id where i.token_hash = ${hash(secret)}`;
  if (!row || row.revoked_at) return { ok: false, reason: 'unknown' };
  if (row.accepted_at) return { ok: false, reason: 'used' };
  if (row.expired) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    invitation: {
      id: row.id,
      orgId: row.org_id,
      orgName: row.org_name,
      email: row.email,
      role: row.role,
      locale: row.locale,
      expiresAt: row.expires_at,
    },
  };
}

/** Marks the invitation used; false when another request used it first (single use under races). */
export async function acceptInvitation(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`update invitations set accepted_at = now()
    where id = ${id} and accepted_at is null and revoked_at is null and expires_at > now()`;
  return rows.count === 1;
}
