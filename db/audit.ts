import type { Actor } from '../domain/actor';
import { jsonb } from './client';
import type { Queryable } from './queryable';

/** One audit entry: in the organization, by the actor, an action (`campaign.create`) on a target (`campaign:<id>`). */
export interface AuditEntry {
  orgId: string;
  actor: Actor;
  action: string;
  target: string;
  /** Ids, counts and field names only: never a contact detail or free text a supporter wrote. */
  detail?: unknown;
}

/**
 * The one writer of the audit log. Pass the mutation's transaction when there is one, so the entry
 * commits (or rolls back) with the change it describes.
 */
export async function recordAudit(sql: Queryable, e: AuditEntry): Promise<void> {
  const tokenId = e.actor.type === 'token' ? e.actor.id : null;
  await sql`insert into audit_log (org_id, actor_type, actor_id, actor_token_id, action, target, detail)
    values (${e.orgId}, ${e.actor.type}, ${e.actor.id}, ${tokenId}, ${e.action}, ${e.target},
      ${e.detail === undefined ? null : sql.json(jsonb(e.detail))})`;
}
