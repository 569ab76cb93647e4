import { jsonb, type Sql } from '../../db/client';
import type { Principal } from '../context';

/** Who did what, when; detail must never carry contact details. */
export async function audit(sql: Sql, who: Principal, action: string, target: string, detail?: unknown) {
  await sql`insert into audit_log (org_id, actor_token_id, action, target, detail)
    values (${who.orgId}, ${who.tokenId}, ${action}, ${target}, ${detail === undefined ? null : sql.json(jsonb(detail))})`;
}
