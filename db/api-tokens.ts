import type { Queryable } from './queryable';
import type { Role } from './tenants';

export interface OrgTokenListing {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** The organization's live tokens (not revoked, not expired); never a secret or a hash. */
export async function listOrgTokens(sql: Queryable, orgId: string): Promise<OrgTokenListing[]> {
  const rows = await sql<
    {
      id: string;
      label: string;
      role: Role;
      created_at: Date;
      last_used_at: Date | null;
      expires_at: Date | null;
    }[]
  >`
    select id, label, role, created_at, last_used_at, expires_at from api_tokens
    where org_id = ${orgId} and revoked_at is null and (expires_at is null or expires_at > now())
    order by created_at`;
  return rows.map((r) => ({
    id: r.id,
    name: r.label,
    role: r.role,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  }));
}

/** Revokes a token of this organization; false when unknown here or already revoked. */
export async function revokeOrgToken(sql: Queryable, orgId: string, id: string): Promise<boolean> {
  const rows = await sql`update api_tokens set revoked_at = now()
    where id = ${id} and org_id = ${orgId} and revoked_at is null`;
  return rows.count === 1;
}
