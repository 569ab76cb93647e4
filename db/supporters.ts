import type { Sql } from './client';

export interface SupporterRow {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: 'en' | 'km';
  timezone: string;
  tags: string[];
  sms_consent: boolean;
  email_consent: boolean;
  sms_opted_out_at: Date | null;
  email_opted_out_at: Date | null;
  erased_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NormalizedSupporter {
  name?: string;
  phone?: string;
  email?: string;
  locale: 'en' | 'km';
  timezone: string;
  tags: string[];
  consent: { sms: boolean; email: boolean };
}

export class SupporterConflict extends Error {
  override name = 'SupporterConflict';
  constructor() {
    super('The phone and the email belong to two different supporters');
  }
}

/**
 * Creates, or updates the supporter with the same phone or email. Consent given here never
 * clears an opt-out: only the supporter's own START does that.
 */
export async function upsertSupporter(
  sql: Sql,
  orgId: string,
  s: NormalizedSupporter,
): Promise<{ supporter: SupporterRow; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const matches = await sql<{ id: string }[]>`
      select id from supporters where org_id = ${orgId} and erased_at is null
        and ((${s.phone ?? null}::text is not null and phone = ${s.phone ?? null})
          or (${s.email ?? null}::text is not null and lower(email) = lower(${s.email ?? null})))
      limit 2`;
    // The phone is one supporter's and the email another's: merging them is a person's decision.
    if (matches.length > 1) throw new SupporterConflict();
    const existing = matches[0];
    try {
      if (existing) {
        const [row] = await sql<SupporterRow[]>`
          update supporters set
            name = coalesce(${s.name ?? null}, name), phone = coalesce(${s.phone ?? null}, phone),
            email = coalesce(${s.email ?? null}, email), locale = ${s.locale}, timezone = ${s.timezone},
            tags = (select array(select distinct unnest(tags || ${s.tags}::text[]))),
            sms_consent = ${s.consent.sms}, email_consent = ${s.consent.email}, updated_at = now()
          where id = ${existing.id} returning *`;
        return { supporter: row!, created: false };
      }
      const [row] = await sql<SupporterRow[]>`
        insert into supporters (org_id, name, phone, email, locale, timezone, tags, sms_consent, email_consent)
        values (${orgId}, ${s.name ?? null}, ${s.phone ?? null}, ${s.email ?? null}, ${s.locale}, ${s.timezone},
          ${s.tags}, ${s.consent.sms}, ${s.consent.email})
        returning *`;
      return { supporter: row!, created: true };
    } catch (err) {
      // Two writers raced on the same phone/email: the loser retries as an update.
      if ((err as { code?: string }).code === '23505') {
        if (attempt < 2) continue;
        throw new SupporterConflict();
      }
      throw err;
    }
  }
}

export async function getSupporter(sql: Sql, orgId: string, id: string): Promise<SupporterRow | undefined> {
  const [row] = await sql<SupporterRow[]>`select * from supporters where id = ${id} and org_id = ${orgId}`;
  return row;
}

/** Removes contact details from every table that holds them; the id stays so counts remain true. */
export async function eraseSupporter(sql: Sql, orgId: string, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows = await tx`update supporters set name = null, phone = null, email = null, tags = '{}',
        sms_consent = false, email_consent = false, erased_at = coalesce(erased_at, now()), updated_at = now()
      where id = ${id} and org_id = ${orgId}`;
    if (rows.count === 0) return false;
    await tx`update inbound_messages set body = null where supporter_id = ${id}`;
    await tx`update deliveries set error_message = null where supporter_id = ${id}`;
    return true;
  });
}

/**
 * Search within one organization: `q` matches name or email (case-insensitive substring), a phone by
 * its digits, or a tag exactly. Erased supporters are left out. Newest first, cursor on (created_at, id).
 */
export async function searchSupporters(
  sql: Sql,
  orgId: string,
  f: { q?: string; tag?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<SupporterRow[]> {
  const q = f.q?.trim();
  const digits = q?.replace(/\D/g, '') ?? '';
  const like = q ? `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : '';
  return sql<SupporterRow[]>`
    select * from supporters
    where org_id = ${orgId} and erased_at is null
      ${q ? sql`and (name ilike ${like} or email ilike ${like} ${digits.length >= 4 ? sql`or phone like ${`%${digits}%`}` : sql``})` : sql``}
      ${f.tag ? sql`and ${f.tag} = any(tags)` : sql``}
      ${f.after ? sql`and (created_at, id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : sql``}
    order by created_at desc, id desc
    limit ${f.limit}`;
}
