import type { Queryable } from './queryable';

/** Roles of a person in an organization (DESIGN.md section 10). */
export const MEMBER_ROLES = ['owner', 'organizer', 'translator', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const LOCALES = ['en', 'km'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Person {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  totpSecret: string | null;
}

export interface MemberListing {
  id: string;
  email: string;
  name: string;
  role: MemberRole;
  locale: Locale;
  lastSignInAt: Date | null;
  passkeys: number;
  totp: boolean;
}

type PersonRow = { id: string; email: string; name: string; locale: Locale; totp_secret: string | null };
const person = (r: PersonRow): Person => ({
  id: r.id,
  email: r.email,
  name: r.name,
  locale: r.locale,
  totpSecret: r.totp_secret,
});

export const normalEmail = (email: string) => email.trim().toLowerCase();

export async function findPersonByEmail(sql: Queryable, email: string): Promise<Person | undefined> {
  const [row] = await sql<PersonRow[]>`
    select id, email, name, locale, totp_secret from people where email = ${normalEmail(email)}`;
  return row ? person(row) : undefined;
}

export async function findPerson(sql: Queryable, id: string): Promise<Person | undefined> {
  const [row] = await sql<
    PersonRow[]
  >`select id, email, name, locale, totp_secret from people where id = ${id}`;
  return row ? person(row) : undefined;
}

/** The person with this email, created (name, locale) when new. */
export async function ensurePerson(
  sql: Queryable,
  opts: { email: string; name: string; locale: Locale },
): Promise<Person> {
  const [row] = await sql<PersonRow[]>`
    insert into people (email, name, locale) values (${normalEmail(opts.email)}, ${opts.name}, ${opts.locale})
    on conflict (email) do update set name = case when people.name = '' then excluded.name else people.name end
    returning id, email, name, locale, totp_secret`;
  return person(row!);
}

export async function membershipRole(
  sql: Queryable,
  orgId: string,
  personId: string,
): Promise<MemberRole | undefined> {
  const [row] = await sql<{ role: MemberRole }[]>`
    select role from memberships where org_id = ${orgId} and person_id = ${personId}`;
  return row?.role;
}

/** Organizations this person belongs to, the most recently signed-in first. */
export async function membershipsOf(sql: Queryable, personId: string) {
  return sql<{ org_id: string; role: MemberRole; name: string; require_passkey: boolean }[]>`
    select m.org_id, m.role, o.name, o.require_passkey from memberships m join organizations o on o.id = m.org_id
    where m.person_id = ${personId} order by m.last_sign_in_at desc nulls last, m.created_at`;
}

export async function addMembership(sql: Queryable, orgId: string, personId: string, role: MemberRole) {
  await sql`insert into memberships (org_id, person_id, role) values (${orgId}, ${personId}, ${role})
    on conflict (org_id, person_id) do nothing`;
}

export async function listMembers(sql: Queryable, orgId: string): Promise<MemberListing[]> {
  const rows = await sql<
    (PersonRow & { role: MemberRole; last_sign_in_at: Date | null; passkeys: number })[]
  >`
    select p.id, p.email, p.name, p.locale, p.totp_secret, m.role, m.last_sign_in_at,
      (select count(*)::int from passkeys k where k.person_id = p.id) as passkeys
    from memberships m join people p on p.id = m.person_id
    where m.org_id = ${orgId} order by p.email`;
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    locale: r.locale,
    lastSignInAt: r.last_sign_in_at,
    passkeys: r.passkeys,
    totp: r.totp_secret !== null,
  }));
}

/** Changes a member's role; false when not a member of this organization. */
export async function setMemberRole(sql: Queryable, orgId: string, personId: string, role: MemberRole) {
  const rows =
    await sql`update memberships set role = ${role} where org_id = ${orgId} and person_id = ${personId}`;
  return rows.count === 1;
}

export async function removeMembership(sql: Queryable, orgId: string, personId: string) {
  const rows = await sql`delete from memberships where org_id = ${orgId} and person_id = ${personId}`;
  return rows.count === 1;
}

export async function countOwners(sql: Queryable, orgId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from memberships where org_id = ${orgId} and role = 'owner'`;
  return row!.n;
}

export async function noteSignIn(sql: Queryable, orgId: string, personId: string) {
  await sql`update memberships set last_sign_in_at = now() where org_id = ${orgId} and person_id = ${personId}`;
}

export async function setTotp(sql: Queryable, personId: string, secret: string | null, pending: boolean) {
  if (pending) await sql`update people set pending_totp_secret = ${secret} where id = ${personId}`;
  else
    await sql`update people set totp_secret = ${secret}, pending_totp_secret = null where id = ${personId}`;
}

export async function pendingTotp(sql: Queryable, personId: string): Promise<string | null> {
  const [row] = await sql<
    { s: string | null }[]
  >`select pending_totp_secret as s from people where id = ${personId}`;
  return row?.s ?? null;
}
