import type { Sql } from './client';
import type { Role } from './tenants';

export interface PartnerRow {
  id: string;
  org_id: string;
  name: string;
  secret: string;
  scopes: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partner with its secret, or undefined (also for an id that is not a UUID). */
export async function findPartner(sql: Sql, id: string): Promise<PartnerRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await sql<PartnerRow[]>`
    select id, org_id, name, secret, scopes from partners where id = ${id}`;
  return row;
}

export interface TokenListing {
  id: string;
  role: Role;
  partner_id: string | null;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** An organization's tokens for operators: never the hash. */
export async function listTokens(sql: Sql, orgId: string): Promise<TokenListing[]> {
  return sql<TokenListing[]>`
    select id, role, partner_id, label, created_at, expires_at, revoked_at
    from api_tokens where org_id = ${orgId} order by created_at, id`;
}

export async function organizationExists(sql: Sql, orgId: string): Promise<boolean> {
  if (!UUID.test(orgId)) return false;
  const [row] = await sql`select 1 from organizations where id = ${orgId}`;
  return row !== undefined;
}

export async function partnerOrg(sql: Sql, partnerId: string): Promise<string | undefined> {
  return (await findPartner(sql, partnerId))?.org_id;
}
