import { z } from 'zod';
import type { FieldError } from '../errors/problem';
import { zoneForAddress } from './osdi-timezone';

/** The item types Action Network and other OSDI senders put a person in; any other key holding a person counts too. */
export const OSDI_KINDS = [
  'osdi:submission',
  'osdi:signature',
  'osdi:attendance',
  'osdi:outreach',
  'osdi:donation',
  'action_network:upload',
  'action_network:action',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key of the item that carries a person: a known kind first, else any key whose value has a `person`. */
export function personKind(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  const known = OSDI_KINDS.find((k) => isObject(item[k]));
  if (known) return known;
  return Object.keys(item).find(
    (k) => isObject(item[k]) && isObject((item[k] as Record<string, unknown>).person),
  );
}

// Partners send numbers where the specification shows strings (its own example has a numeric phone number).
const text = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(undefined);
const flag = z.boolean().nullish().catch(undefined);
const EmailSchema = z.looseObject({ address: text, primary: flag, status: text });
const PhoneSchema = z.looseObject({
  number: text,
  primary: flag,
  number_type: text,
  status: text,
  sms_status: text,
  sms_capable: flag,
});
const AddressSchema = z.looseObject({ primary: flag, region: text, country: text });

/** A part of the item we could not use: dropped, the rest of the person kept. */
export interface OsdiWarning {
  path: string;
  message: string;
}

/** The entries of a list that parse; each other one is dropped with a warning. */
function entries<T>(schema: z.ZodType<T>, value: unknown, path: string, warnings: OsdiWarning[]): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    warnings.push({ path, message: 'is not a list; dropped' });
    return [];
  }
  return value.flatMap((entry, i) => {
    const parsed = schema.safeParse(entry);
    if (parsed.success) return [parsed.data];
    warnings.push({ path: `${path}.${i}`, message: 'is not an object; dropped' });
    return [];
  });
}

function strings(value: unknown, path: string, warnings: OsdiWarning[]): string[] {
  return entries(z.union([z.string(), z.number().transform(String)]), value, path, warnings);
}

/** What the submission says about consent; undefined means "says nothing": keep what we had. */
export interface OsdiConsent {
  sms?: boolean;
  email?: boolean;
}

export type OsdiPerson =
  | { kind: string; input: Record<string, unknown>; consent: OsdiConsent; warnings: OsdiWarning[] }
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

/**
 * One OSDI webhook item as a POST /v1/supporters body plus what it says about consent. Only an item
 * without a person is refused: a part of the person we cannot use is dropped with a warning.
 */
export function osdiItemToInput(item: unknown): OsdiPerson {
  const kind = personKind(item);
  const envelope = kind ? (item as Record<string, Record<string, unknown>>)[kind] : undefined;
  if (!kind || !envelope || !isObject(envelope.person)) {
    return {
      errors: [
        {
          path: kind ?? '(item)',
          message: `expected an object with a person, such as ${OSDI_KINDS.join(', ')}`,
        },
      ],
    };
  }
  const warnings: OsdiWarning[] = [];
  const person = envelope.person as Record<string, unknown>;
  const at = (field: string) => `${kind}.person.${field}`;
  const given = text.parse(person.given_name);
  const family = text.parse(person.family_name);
  const emails = entries(EmailSchema, person.email_addresses, at('email_addresses'), warnings);
  const phones = entries(PhoneSchema, person.phone_numbers, at('phone_numbers'), warnings);
  const addresses = entries(AddressSchema, person.postal_addresses, at('postal_addresses'), warnings);
  const languages = strings(person.languages_spoken, at('languages_spoken'), warnings);
  const tags = strings(envelope.add_tags, `${kind}.add_tags`, warnings);
  const email = primaryFirst(emails, (e) => !!e.address?.trim());
  const phone = primaryFirst(phones, (p) => !!p.number?.trim());
  const address = primaryFirst(addresses, () => true);
  const custom = isObject(person.custom_fields) ? person.custom_fields : {};
  const zone =
    [custom.timezone, custom.time_zone].find(isZone) ??
    zoneForAddress(address?.region ?? undefined, address?.country ?? undefined);
  const name = [given, family]
    .map((n) => n?.trim())
    .filter(Boolean)
    .join(' ');
  return {
    kind,
    warnings,
    consent: consentOf(email, phone),
    input: {
      name: name || undefined,
      phone: phone?.number?.trim(),
      email: email?.address?.trim(),
      locale: localeOf(languages),
      timezone: zone,
      tags: tags.map((t) => t.trim()).filter(Boolean),
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
