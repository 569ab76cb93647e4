import type { Sql } from '../../db/client';
import type { NormalizedSupporter, SupporterRow } from '../../db/supporters';
import type { ContactSuppressions, Suppression } from '../../db/suppressions';
import type { FieldError } from '../errors/problem';
import type { Supporter, SupporterInput } from '../schemas/supporter';
import { readPhone } from './phone';
import { organizationZone, zoneOfPhone } from './time-zone-inference';

/** What a supporter input leaves to the organization: the region of numbers without a country code, the default zone. */
export interface OrgInput {
  region: string;
  timezone: string;
}

export async function orgInput(sql: Sql, orgId: string): Promise<OrgInput> {
  const [row] = await sql<{ default_region: string; default_timezone: string | null }[]>`
    select default_region, default_timezone from organizations where id = ${orgId}`;
  const region = row?.default_region ?? 'US';
  return { region, timezone: organizationZone(row?.default_timezone ?? null, region) };
}

/** Shared by the API, CSV import and partner webhooks: one normalisation, one set of messages. */
export function normalizeSupporter(
  input: SupporterInput,
  org: OrgInput,
): { value: NormalizedSupporter } | { errors: FieldError[] } {
  let phone: string | undefined;
  if (input.phone !== undefined) {
    const read = readPhone(input.phone, org.region);
    if ('error' in read) return { errors: [{ path: 'phone', message: read.error }] };
    phone = read.e164;
  }
  const fromPhone = zoneOfPhone(phone);
  return {
    value: {
      name: input.name,
      phone,
      email: input.email?.toLowerCase(),
      locale: input.locale,
      timezone: input.timezone,
      zoneIfNew: fromPhone
        ? { zone: fromPhone, source: 'phone' }
        : { zone: org.timezone, source: 'organization' },
      tags: [...new Set(input.tags)],
      consent: input.consent ?? {},
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
    timezoneSource: r.timezone_source,
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
