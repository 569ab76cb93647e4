import type { Sql } from './client';
import type { SupporterRow } from './supporters';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The condition `q` adds to a supporter search (on `supporters`, unaliased): name or email contain it
 * (case-insensitive), or a phone contains its digits (four or more).
 *
 * A term shaped like an address, "<local>@<domain…>" with something before the '@', is matched on
 * name or email only (no phone holds an '@'), and the email branch also requires the local part to
 * end with "<local>": the trigram index on the local part alone (migration 019) finds those few rows,
 * where the whole address's trigrams include the domain's, which most rows share. Same rows as the
 * plain ILIKE for every address with one '@'.
 */
function termWhere(sql: Sql, q: string) {
  const like = `%${escapeLike(q)}%`;
  const at = q.indexOf('@');
  if (at > 0) {
    const localEnd = `%${escapeLike(q.slice(0, at).toLowerCase())}`;
    return sql`and (name ilike ${like} or (email is not null
      and split_part(lower(email), '@', 1) like ${localEnd} and email ilike ${like}))`;
  }
  const digits = q.replace(/\D/g, '');
  return sql`and (name ilike ${like} or email ilike ${like} ${digits.length >= 4 ? sql`or phone like ${`%${digits}%`}` : sql``})`;
}

/**
 * Search within one organization: `q` matches name or email (case-insensitive substring), a phone by
 * its digits, or a tag exactly. Erased supporters are left out. Newest first, cursor on (created_at, id).
 * Shapes the indexes of migrations 015 and 019 serve: ILIKE/LIKE '%…%' by trigram, the tag by
 * containment (`@>`, the GIN on tags; `= any(tags)` cannot use it), the order by (created_at, id).
 */
export async function searchSupporters(
  sql: Sql,
  orgId: string,
  f: { q?: string; tag?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<SupporterRow[]> {
  const q = f.q?.trim();
  // Planned for these values each time: a plan cached for "any pattern" cannot tell a rare fragment
  // (trigram index, a few rows) from a common one (newest first, stop at the page), and took seconds.
  return sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_custom_plan`;
    const t = tx as unknown as Sql;
    return tx<SupporterRow[]>`
    select * from supporters
    where org_id = ${orgId} and erased_at is null
      ${q ? termWhere(t, q) : tx``}
      ${f.tag ? tx`and tags @> ${[f.tag]}::text[]` : tx``}
      ${f.after ? tx`and (created_at, id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${f.limit}`;
  });
}
