import { recordAudit } from '../../db/audit';
import type { Queryable } from '../../db/queryable';
import type { Actor } from '../../domain/actor';
import type { Principal } from '../context';

/** The actor behind a request: the person signed in to the console, or the API token it carried. */
export const actorOf = (who: Principal): Actor =>
  who.personId ? { type: 'person', id: who.personId } : { type: 'token', id: who.tokenId ?? 'unknown' };

/**
 * Records what a request changed (db/audit.ts is the one writer). Pass the mutation's transaction
 * when there is one. `detail` carries ids, counts and field names, never contact details.
 */
export async function audit(
  sql: Queryable,
  who: Principal,
  action: string,
  target: string,
  detail?: unknown,
) {
  await recordAudit(sql, { orgId: who.orgId, actor: actorOf(who), action, target, detail });
}
