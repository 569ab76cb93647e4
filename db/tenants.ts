import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './client';

/** Roles of API tokens: the member roles, plus partner (its webhook route only) and admin (owner-level). */
export type Role = 'owner' | 'organizer' | 'translator' | 'viewer' | 'partner' | 'admin';

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

export async function createOrganization(
  sql: Sql,
  opts: { name: string; defaultRegion?: string },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into organizations (name, default_region) values (${opts.name}, ${opts.defaultRegion ?? 'US'}) returning id`;
  return row!.id;
}

/** Returns the plaintext token once; only its SHA-256 is stored. */
export async function createToken(
  sql: Sql,
  opts: {
    orgId: string;
    role: Role;
    label?: string;
    partnerId?: string;
    expiresAt?: Date;
    createdBy?: string;
  },
): Promise<{ id: string; token: string }> {
  const token = `ua_${opts.role.slice(0, 3)}_${randomBytes(24).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into api_tokens (org_id, role, partner_id, token_hash, label, expires_at, created_by)
    values (${opts.orgId}, ${opts.role}, ${opts.partnerId ?? null}, ${hashToken(token)}, ${opts.label ?? ''},
      ${opts.expiresAt ?? null}, ${opts.createdBy ?? null})
    returning id`;
  return { id: row!.id, token };
}

export async function revokeToken(sql: Sql, tokenId: string): Promise<boolean> {
  const rows =
    await sql`update api_tokens set revoked_at = now() where id = ${tokenId} and revoked_at is null`;
  return rows.count === 1;
}

/** A partner with its Standard Webhooks secret (`whsec_` + base64), returned once to the caller. */
export async function createPartner(
  sql: Sql,
  opts: { orgId: string; name: string; scopes?: string[] },
): Promise<{ id: string; secret: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into partners (org_id, name, secret, scopes)
    values (${opts.orgId}, ${opts.name}, ${secret}, ${opts.scopes ?? ['case_alert', 'election_boycott', 'sanctions_lobbying']})
    returning id`;
  return { id: row!.id, secret };
}

export interface TokenPrincipal {
  tokenId: string;
  orgId: string;
  role: Role;
  partnerId: string | null;
}

export async function findToken(sql: Sql, token: string): Promise<TokenPrincipal | undefined> {
  // last_used_at moves at most once a minute, so a busy script does not write on every call.
  const [row] = await sql<{ id: string; org_id: string; role: Role; partner_id: string | null }[]>`
    with found as (
      select id, org_id, role, partner_id, last_used_at from api_tokens
      where token_hash = ${hashToken(token)} and revoked_at is null and (expires_at is null or expires_at > now())
    ), touched as (
      update api_tokens t set last_used_at = now() from found
      where t.id = found.id and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
    )
    select id, org_id, role, partner_id from found`;
  return row ? { tokenId: row.id, orgId: row.org_id, role: row.role, partnerId: row.partner_id } : undefined;
}
