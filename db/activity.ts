import type { Queryable } from './queryable';

export interface ActivityRow {
  id: string;
  at: Date;
  action: string;
  target: string | null;
  actor: { type: 'person' | 'token' | 'system'; id: string | null; name: string };
}

/**
 * The organization's audit log, newest first, each row naming its actor: the person (name or email),
 * the API token (its name), or the system. `target` narrows to one object, e.g. `campaign:<id>`.
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
      person_id: string | null;
      person: string | null;
      token_id: string | null;
      token: string | null;
    }[]
  >`
    select a.id::text, a.created_at, a.action, a.target, a.actor_person_id as person_id,
      coalesce(nullif(p.name, ''), p.email) as person, a.actor_token_id as token_id, t.label as token
    from audit_log a
      left join people p on p.id = a.actor_person_id
      left join api_tokens t on t.id = a.actor_token_id
    where a.org_id = ${orgId} ${opts.target ? sql`and a.target = ${opts.target}` : sql``}
    order by a.id desc limit ${opts.limit}`;
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at,
    action: r.action,
    target: r.target,
    actor: r.person_id
      ? { type: 'person', id: r.person_id, name: r.person ?? '' }
      : r.token_id
        ? { type: 'token', id: r.token_id, name: r.token || 'API token' }
        : { type: 'system', id: null, name: 'system' },
  }));
}
