import type { Sql } from './client';
import type { SupporterRow } from './supporters';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The condition `q` adds to a supporter search (on `supporters`, unaliased): name or email contain it
 * (case-insensitive), or a phone contains its digits (four or more). `param` binds a value and
 * returns its placeholder.
 *
 * A term shaped like an address, "<local>@<domain…>" with three or more characters before the '@'
 * (fewer have no selective trigram of their own), is matched on
 * name or email only (no phone holds an '@'), and the email branch also requires the local part to
 * end with "<local>": the trigram index on the local part alone (migration 019) finds those few rows,
 * where the whole address's trigrams include the domain's, which most rows share. Same rows as the
 * plain ILIKE for every address with one '@'.
 */
function termWhere(q: string, param: (value: string) => string): string {
  const like = param(`%${escapeLike(q)}%`);
  const at = q.indexOf('@');
  if (at >= 3) {
    const localEnd = param(`%${escapeLike(q.slice(0, at).toLowerCase())}`);
    // lower(email) LIKE rather than email ILIKE: the latter would tempt the planner to the whole
    // address's trigram index, which this shape is here to avoid.
    const lowerLike = param(`%${escapeLike(q.toLowerCase())}%`);
    return ` and (name ilike ${like} or (email is not null
      and split_part(lower(email), '@', 1) like ${localEnd} and lower(email) like ${lowerLike}))`;
  }
  const digits = q.replace(/\D/g, '');
  const phone = digits.length >= 4 ? ` or phone like ${param(`%${digits}%`)}` : '';
  return ` and (name ilike ${like} or email ilike ${like}${phone})`;
}

/**
 * Search within one organization: `q` matches name or email (case-insensitive substring), a phone by
 * its digits, or a tag exactly. Erased supporters are left out. Newest first, cursor on (created_at, id).
 * Shapes the indexes of migrations 015 and 019 serve: ILIKE/LIKE '%…%' by trigram, the tag by
 * containment (`@>`, the GIN on tags; `= any(tags)` cannot use it), the order by (created_at, id).
 *
 * Sent unprepared (one round trip): PostgreSQL plans an unnamed statement for the values it is given
 * each time. A plan cached for "any pattern" cannot tell a rare fragment (trigram index, a few rows)
 * from a common one (newest first, stop at the page), and took seconds.
 */
export async function searchSupporters(
  sql: Sql,
  orgId: string,
  f: { q?: string; tag?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<SupporterRow[]> {
  const q = f.q?.trim();
  const params: (string | number | string[])[] = [orgId];
  const param = (value: string | number | string[]) => {
    params.push(value);
    return `$${params.length}`;
  };
  const text = `select * from supporters
    where org_id = $1::uuid and erased_at is null${q ? termWhere(q, param) : ''}${
      f.tag ? ` and tags @> ${param([f.tag])}::text[]` : ''
    }${
      f.after
        ? ` and (created_at, id) < (${param(f.after.createdAt)}::timestamptz, ${param(f.after.id)}::uuid)`
        : ''
    }
    order by created_at desc, id desc
    limit ${param(f.limit)}::int`;
  return sql.unsafe<SupporterRow[]>(text, params, { prepare: false });
}
