import { createHash, randomBytes } from 'node:crypto';
import type { MemberRole } from './people';
import type { Queryable } from './queryable';

/** How the session was opened; a 'recovery' session may only add a passkey under a passkey-only policy. */
export type SignInMethod = 'passkey' | 'totp' | 'recovery' | 'invitation';

export interface SessionLimits {
  /** Idle timeout, seconds (default 30 min). */
  idleS: number;
  /** Absolute lifetime, seconds (default 12 h). */
  absoluteS: number;
}
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleS: 30 * 60, absoluteS: 12 * 60 * 60 };

export interface PersonSession {
  /** Hex SHA-256 of the cookie secret: names the session in lists and forms, never signs in. */
  ref: string;
  personId: string;
  orgId: string;
  role: MemberRole;
  csrf: string;
  method: SignInMethod;
  email: string;
  name: string;
  locale: 'en' | 'km';
  requirePasskey: boolean;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Opens a session (a new id every sign-in, so a planted cookie never becomes signed in).
 * Returns the cookie secret, shown to nobody else.
 */
export async function openSession(
  sql: Queryable,
  opts: { personId: string; orgId: string; method: SignInMethod; device: string; limits: SessionLimits },
): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await sql`insert into sessions (id_hash, person_id, org_id, csrf, method, device, expires_at)
    values (${hash(secret)}, ${opts.personId}, ${opts.orgId}, ${randomBytes(24).toString('base64url')},
      ${opts.method}, ${opts.device.slice(0, 200)}, now() + make_interval(secs => ${opts.limits.absoluteS}))`;
  return secret;
}

/**
 * The live session behind a cookie, its last-seen time moved on; undefined when unknown, ended,
 * idle longer than limits.idleS, past its absolute lifetime, or its person is no longer a member.
 */
export async function resumeSession(
  sql: Queryable,
  secret: string | undefined,
  limits: SessionLimits,
): Promise<PersonSession | undefined> {
  if (!secret || secret.length > 100) return undefined;
  const [row] = await sql<
    {
      ref: string;
      person_id: string;
      org_id: string;
      role: MemberRole;
      csrf: string;
      method: SignInMethod;
      email: string;
      name: string;
      locale: 'en' | 'km';
      require_passkey: boolean;
    }[]
  >`
    update sessions s set last_seen_at = now()
    from memberships m, people p, organizations o
    where s.id_hash = ${hash(secret)} and s.ended_at is null and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => ${limits.idleS})
      and m.org_id = s.org_id and m.person_id = s.person_id and p.id = s.person_id and o.id = s.org_id
    returning encode(s.id_hash, 'hex') as ref, s.person_id, s.org_id, m.role, s.csrf, s.method,
      p.email, p.name, p.locale, o.require_passkey`;
  if (!row) return undefined;
  return {
    ref: row.ref,
    personId: row.person_id,
    orgId: row.org_id,
    role: row.role,
    csrf: row.csrf,
    method: row.method,
    email: row.email,
    name: row.name,
    locale: row.locale,
    requirePasskey: row.require_passkey,
  };
}

export async function endSessionBySecret(sql: Queryable, secret: string) {
  await sql`update sessions set ended_at = now() where id_hash = ${hash(secret)} and ended_at is null`;
}

/** Ends one of this person's sessions by its ref (hex hash); false when not theirs or already ended. */
export async function endSessionByRef(sql: Queryable, personId: string, ref: string) {
  if (!/^[0-9a-f]{64}$/.test(ref)) return false;
  const rows = await sql`update sessions set ended_at = now()
    where id_hash = ${Buffer.from(ref, 'hex')} and person_id = ${personId} and ended_at is null`;
  return rows.count === 1;
}

/** Ends every session of a person, in one organization or (orgId undefined) everywhere. */
export async function endPersonSessions(sql: Queryable, personId: string, orgId?: string) {
  const rows = orgId
    ? await sql`update sessions set ended_at = now()
        where person_id = ${personId} and org_id = ${orgId} and ended_at is null`
    : await sql`update sessions set ended_at = now() where person_id = ${personId} and ended_at is null`;
  return rows.count;
}

export async function listPersonSessions(sql: Queryable, personId: string, limits: SessionLimits) {
  return sql<{ ref: string; device: string; method: string; created_at: Date; last_seen_at: Date }[]>`
    select encode(id_hash, 'hex') as ref, device, method, created_at, last_seen_at from sessions
    where person_id = ${personId} and ended_at is null and expires_at > now()
      and last_seen_at > now() - make_interval(secs => ${limits.idleS})
    order by last_seen_at desc`;
}
