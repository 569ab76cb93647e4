import { z } from 'zod';
import { zoneForAddress } from './osdi-timezone';
import type { FieldError } from './problem';

export const OSDI_KINDS = ['osdi:submission', 'osdi:signature', 'osdi:attendance', 'osdi:outreach'] as const;

const text = z.string().nullish();
const EmailSchema = z.looseObject({ address: text, primary: z.boolean().nullish(), status: text });
const PhoneSchema = z.looseObject({
  number: text,
  primary: z.boolean().nullish(),
  number_type: text,
  status: text,
  sms_status: text,
  sms_capable: z.boolean().nullish(),
});
const AddressSchema = z.looseObject({ primary: z.boolean().nullish(), region: text, country: text });
const PersonSchema = z.looseObject({
  given_name: text,
  family_name: text,
  email_addresses: z.array(EmailSchema).nullish(),
  phone_numbers: z.array(PhoneSchema).nullish(),
  postal_addresses: z.array(AddressSchema).nullish(),
  languages_spoken: z.array(z.string()).nullish(),
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
});
const EnvelopeSchema = z.looseObject({ person: PersonSchema, add_tags: z.array(z.string()).nullish() });

/** What the submission says about consent; undefined means "says nothing": keep what we had. */
export interface OsdiConsent {
  sms?: boolean;
  email?: boolean;
}

export type OsdiPerson =
  | { kind: string; input: Record<string, unknown>; consent: OsdiConsent }
  | { errors: FieldError[] };

// Action Network's email statuses that mean "do not email"; anything else (subscribed, absent) is a subscriber.
const EMAIL_REFUSED = new Set([
  'unsubscribed',
  'bouncing',
  'previous bounce',
  'spam complaint',
  'previous spam complaint',
]);
const NOT_MOBILE = new Set(['home', 'work', 'landline', 'fax']);

const primaryFirst = <T extends { primary?: boolean | null }>(
  items: T[] | null | undefined,
  has: (t: T) => boolean,
) => (items ?? []).filter(has).sort((a, b) => Number(b.primary === true) - Number(a.primary === true))[0];

const isZone = (tz: unknown): tz is string => {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Consent, decided here for every OSDI source:
 * - email: Action Network sends people who gave an email on a form that subscribes them, so an email
 *   address counts as consent unless its status says unsubscribed, bouncing or complained.
 * - SMS needs express consent, so only a phone entry that says so counts: status or sms_status
 *   "subscribed", on a number not typed as a landline and not marked sms_capable: false. A phone with
 *   no status leaves an existing supporter's SMS consent as it was (and gives none to a new one).
 */
function consentOf(
  email: z.infer<typeof EmailSchema> | undefined,
  phone: z.infer<typeof PhoneSchema> | undefined,
): OsdiConsent {
  const consent: OsdiConsent = {};
  if (email) consent.email = !EMAIL_REFUSED.has((email.status ?? '').toLowerCase());
  const smsStatus = (phone?.sms_status ?? phone?.status ?? '').toLowerCase();
  if (phone && smsStatus !== '') {
    const mobile = !NOT_MOBILE.has((phone.number_type ?? '').toLowerCase()) && phone.sms_capable !== false;
    consent.sms = smsStatus === 'subscribed' && mobile;
  }
  return consent;
}

function localeOf(languages: string[] | null | undefined): 'en' | 'km' | undefined {
  for (const lang of languages ?? []) {
    const base = lang.trim().toLowerCase().split(/[-_]/)[0];
    if (base === 'km' || base === 'en') return base;
  }
  return undefined;
}

/** One OSDI webhook item as a POST /v1/supporters body plus what it says about consent. */
export function osdiItemToInput(item: unknown): OsdiPerson {
  const kind = OSDI_KINDS.find((k) => item !== null && typeof item === 'object' && k in item);
  if (!kind) {
    return {
      errors: [{ path: '(item)', message: `expected an object with one of ${OSDI_KINDS.join(', ')}` }],
    };
  }
  const parsed = EnvelopeSchema.safeParse((item as Record<string, unknown>)[kind]);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => ({ path: [kind, ...i.path].join('.'), message: i.message })),
    };
  }
  const { person, add_tags } = parsed.data;
  const email = primaryFirst(person.email_addresses, (e) => !!e.address?.trim());
  const phone = primaryFirst(person.phone_numbers, (p) => !!p.number?.trim());
  const address = primaryFirst(person.postal_addresses, () => true);
  const custom = person.custom_fields ?? {};
  const zone =
    [custom.timezone, custom.time_zone].find(isZone) ??
    zoneForAddress(address?.region ?? undefined, address?.country ?? undefined);
  const name = [person.given_name, person.family_name]
    .map((n) => n?.trim())
    .filter(Boolean)
    .join(' ');
  return {
    kind,
    consent: consentOf(email, phone),
    input: {
      name: name || undefined,
      phone: phone?.number?.trim(),
      email: email?.address?.trim(),
      locale: localeOf(person.languages_spoken),
      timezone: zone,
      tags: (add_tags ?? []).map((t) => t.trim()).filter(Boolean),
    },
  };
}

const OSDI_PATHS: Record<string, string> = {
  name: 'person.given_name',
  phone: 'person.phone_numbers',
  email: 'person.email_addresses',
  locale: 'person.languages_spoken',
  timezone: 'person.postal_addresses',
  tags: 'add_tags',
};

/** A supporter field's error named by where it came from in the OSDI item. */
export function osdiPath(kind: string, e: FieldError): FieldError {
  const head = e.path.split('.')[0] ?? '';
  return { path: `${kind}.${OSDI_PATHS[head] ?? e.path}`, message: e.message };
}
