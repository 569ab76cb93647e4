import type { Queryable } from './queryable';

export interface ActivityRow {
  id: string;
  at: Date;
  action: string;
  target: string | null;
  actor: { type: 'person' | 'token' | 'partner' | 'system'; id: string | null; name: string };
}

/**
 * The organization's audit log, newest first, each row naming its actor (audit_log.actor_type/id):
 * the person (name or email), the API token (its name), the partner (its name), or the system part.
 * `target` narrows to one object, e.g. `campaign:<id>`.
 */
export async function listActivity(
  sql: Queryable,
  orgId: string,
  opts: { target?: string; limit: number },
): Promise<ActivityRow[]> {
  const rows = await sql<
    {
      id: string;
      created_at: Date;
      action: string;
      target: string | null;
      actor_type: ActivityRow['actor']['type'];
      actor_id: string;
      name: string | null;
    }[]
  >`
    select a.id::text, a.created_at, a.action, a.target, a.actor_type, a.actor_id,
      case a.actor_type
        when 'person' then (select coalesce(nullif(p.name, ''), p.email) from people p where p.id::text = a.actor_id)
        when 'token' then (select nullif(t.label, '') from api_tokens t where t.id::text = a.actor_id)
        when 'partner' then (select pa.name from partners pa where pa.id::text = a.actor_id)
        else a.actor_id
      end as name
    from audit_log a
    where a.org_id = ${orgId} ${opts.target ? sql`and a.target = ${opts.target}` : sql``}
    order by a.id desc limit ${opts.limit}`;
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at,
    action: r.action,
    target: r.target,
    actor: {
      type: r.actor_type,
      id: r.actor_id,
      name: r.name ?? (r.actor_type === 'token' ? 'API token' : r.actor_type),
    },
  }));
}
