import { jsonb, type Sql } from '../../db/client';
import type { Principal } from '../context';

/**
 * Who did what, when; detail must never carry contact details. The actor is the person signed in to
 * the console (actor_person_id) or the API token (actor_token_id); neither set means the system.
 */
export async function audit(sql: Sql, who: Principal, action: string, target: string, detail?: unknown) {
  await sql`insert into audit_log (org_id, actor_token_id, actor_person_id, action, target, detail)
    values (${who.orgId}, ${who.tokenId}, ${who.personId ?? null}, ${action}, ${target},
      ${detail === undefined ? null : sql.json(jsonb(detail))})`;
}
