import type { Sql } from './client';

export interface KeptFields {
  sms: boolean;
  email: boolean;
  locale: 'en' | 'km';
  timezone: string;
}

/**
 * Consent, language and time zone of the supporter an upsert with this phone/email would update
 * (the same match as upsertSupporter), for sources that may say nothing about them.
 */
export async function matchingSupporterFields(
  sql: Sql,
  orgId: string,
  contact: { phone?: string; email?: string },
): Promise<KeptFields | undefined> {
  const phone = contact.phone ?? null;
  const email = contact.email ?? null;
  const [row] = await sql<KeptFields[]>`
    select sms_consent as sms, email_consent as email, locale, timezone from supporters
    where org_id = ${orgId} and erased_at is null
      and ((${phone}::text is not null and phone = ${phone})
        or (${email}::text is not null and lower(email) = lower(${email})))
    order by (phone = ${phone}) desc nulls last limit 1`;
  return row;
}
