import type { Sql } from '../db/client';
import type { NormalizedSupporter, SupporterRow } from '../db/supporters';
import type { ContactSuppressions, Suppression } from '../db/suppressions';
import { toE164 } from './phone';
import type { FieldError } from './problem';
import type { Supporter, SupporterInput } from './schemas/supporter';

export async function orgRegion(sql: Sql, orgId: string): Promise<string> {
  const [row] = await sql<
    { default_region: string }[]
  >`select default_region from organizations where id = ${orgId}`;
  return row?.default_region ?? 'US';
}

/** Shared by the API, CSV import and partner webhooks: one normalisation, one set of messages. */
export function normalizeSupporter(
  input: SupporterInput,
  region: string,
): { value: NormalizedSupporter } | { errors: FieldError[] } {
  let phone: string | undefined;
  if (input.phone !== undefined) {
    phone = toE164(input.phone, region);
    if (!phone)
      return { errors: [{ path: 'phone', message: `not a valid phone number (default region ${region})` }] };
  }
  return {
    value: {
      name: input.name,
      phone,
      email: input.email?.toLowerCase(),
      locale: input.locale,
      timezone: input.timezone,
      tags: [...new Set(input.tags)],
      consent: input.consent,
    },
  };
}

const suppressionView = (s: Suppression | undefined) =>
  s ? { at: s.at.toISOString(), source: s.source } : null;

/** The API's supporter; `listed` is what the suppression list holds for its phone and email. */
export function toSupporter(r: SupporterRow, listed: ContactSuppressions): Supporter {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    locale: r.locale,
    timezone: r.timezone,
    tags: r.tags,
    consent: { sms: r.sms_consent, email: r.email_consent },
    optedOut: {
      sms: (r.sms_opted_out_at ?? listed.sms?.at)?.toISOString() ?? null,
      email: (r.email_opted_out_at ?? listed.email?.at)?.toISOString() ?? null,
    },
    suppressed: { sms: suppressionView(listed.sms), email: suppressionView(listed.email) },
    erased: r.erased_at !== null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
