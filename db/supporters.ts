import type { ContactKeys } from '../core/contact-key';
import type { Sql } from './client';
import { type ContactSuppressions, suppressContact, suppressionsOf } from './suppressions';
import { unlinkRespondents } from './survey-sessions';

export interface SupporterRow {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: 'en' | 'km';
  timezone: string;
  timezone_source: 'given' | 'phone' | 'organization';
  tags: string[];
  sms_consent: boolean;
  email_consent: boolean;
  sms_opted_out_at: Date | null;
  email_opted_out_at: Date | null;
  erased_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * A supporter as an upsert writes it. A field left undefined keeps what is stored (a new supporter
 * gets the default); `name: null` clears the name. `zoneIfNew` is the zone a new supporter gets
 * when `timezone` is not given.
 */
export interface NormalizedSupporter {
  name?: string | null;
  phone?: string;
  email?: string;
  locale?: 'en' | 'km';
  timezone?: string;
  zoneIfNew?: { zone: string; source: 'phone' | 'organization' };
  tags: string[];
  consent: { sms?: boolean; email?: boolean };
}

/** The values an upsert binds: null means "keep what is stored". */
export function writtenFields(s: NormalizedSupporter) {
  return {
    name: s.name ?? null,
    clear_name: s.name === null,
    locale: s.locale ?? null,
    timezone: s.timezone ?? null,
    new_zone: s.timezone ?? s.zoneIfNew?.zone ?? 'UTC',
    new_zone_source: s.timezone !== undefined ? 'given' : (s.zoneIfNew?.source ?? 'organization'),
    sms: s.consent.sms ?? null,
    mail: s.consent.email ?? null,
  };
}

export class SupporterConflict extends Error {
  override name = 'SupporterConflict';
  constructor() {
    super('The phone and the email belong to two different supporters');
  }
}

/**
 * Creates, or updates the supporter with the same phone or email. Consent given here never
 * clears an opt-out: only the supporter's own START or a recorded re-consent does that. A phone or
 * email on the suppression list is opted out on the row whatever consent it claims; `listed` says
 * which channels were.
 */
export async function upsertSupporter(
  sql: Sql,
  orgId: string,
  s: NormalizedSupporter,
  keys: ContactKeys,
): Promise<{ supporter: SupporterRow; created: boolean; listed: ContactSuppressions }> {
  const listed = await suppressionsOf(sql, keys, s);
  const smsOut = listed.sms?.at ?? null;
  const emailOut = listed.email?.at ?? null;
  for (let attempt = 0; ; attempt++) {
    const matches = await sql<{ id: string }[]>`
      select id from supporters where org_id = ${orgId} and erased_at is null
        and ((${s.phone ?? null}::text is not null and phone = ${s.phone ?? null})
          or (${s.email ?? null}::text is not null and lower(email) = lower(${s.email ?? null})))
      limit 2`;
    // The phone is one supporter's and the email another's: merging them is a person's decision.
    if (matches.length > 1) throw new SupporterConflict();
    const existing = matches[0];
    const w = writtenFields(s);
    try {
      if (existing) {
        const [row] = await sql<SupporterRow[]>`
          update supporters set
            name = case when ${w.clear_name} then null else coalesce(${w.name}, name) end,
            phone = coalesce(${s.phone ?? null}, phone), email = coalesce(${s.email ?? null}, email),
            locale = coalesce(${w.locale}, locale), timezone = coalesce(${w.timezone}, timezone),
            timezone_source = case when ${w.timezone}::text is null then timezone_source else 'given' end,
            tags = (select array(select distinct unnest(tags || ${s.tags}::text[]))),
            sms_consent = coalesce(${w.sms}, sms_consent), email_consent = coalesce(${w.mail}, email_consent),
            sms_opted_out_at = coalesce(sms_opted_out_at, ${smsOut}::timestamptz),
            email_opted_out_at = coalesce(email_opted_out_at, ${emailOut}::timestamptz), updated_at = now()
          where id = ${existing.id} returning *`;
        return { supporter: row!, created: false, listed };
      }
      const [row] = await sql<SupporterRow[]>`
        insert into supporters (org_id, name, phone, email, locale, timezone, timezone_source, tags,
          sms_consent, email_consent, sms_opted_out_at, email_opted_out_at)
        values (${orgId}, ${w.name}, ${s.phone ?? null}, ${s.email ?? null}, ${w.locale ?? 'en'}, ${w.new_zone},
          ${w.new_zone_source}, ${s.tags}, ${w.sms ?? false}, ${w.mail ?? false}, ${smsOut}, ${emailOut})
        returning *`;
      return { supporter: row!, created: true, listed };
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

/**
 * Removes contact details from every table that holds them; the id stays so counts remain true.
 * An opt-out outlives the record: a contact the row has opted out is put on the suppression list
 * first (a no-op when it is there already), and the list, which holds only its keyed hash, is kept.
 */
export async function eraseSupporter(
  sql: Sql,
  orgId: string,
  id: string,
  keys: ContactKeys,
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<
      { phone: string | null; email: string | null; sms_out: boolean; email_out: boolean; bounced: boolean }[]
    >`select phone, email, sms_opted_out_at is not null as sms_out, email_opted_out_at is not null as email_out,
        email_suppressed_reason = 'hard_bounce' as bounced
      from supporters where id = ${id} and org_id = ${orgId} for update`;
    if (!row) return false;
    if (row.phone && row.sms_out) await suppressContact(tx, keys, 'sms', row.phone, 'earlier_opt_out');
    if (row.email && (row.email_out || row.bounced)) {
      await suppressContact(tx, keys, 'email', row.email, row.email_out ? 'earlier_opt_out' : 'hard_bounce');
    }
    await tx`update supporters set name = null, phone = null, email = null, tags = '{}',
        sms_consent = false, email_consent = false, erased_at = coalesce(erased_at, now()), updated_at = now()
      where id = ${id} and org_id = ${orgId}`;
    await tx`update inbound_messages set body = null where supporter_id = ${id}`;
    await tx`update auto_replies set contact_key = null where supporter_id = ${id}`;
    await tx`update deliveries set error_message = null where supporter_id = ${id}`;
    // Survey answers stay (they are the network's evidence) but lose their only link to this person.
    await unlinkRespondents(tx, orgId, id);
    return true;
  });
}
