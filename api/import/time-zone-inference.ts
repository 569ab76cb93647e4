import { getTimezonesForCountry } from 'countries-and-timezones';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** Where a supporter's zone came from: typed or sent, the country of the number, the organization default. */
export type TimezoneSource = 'given' | 'phone' | 'organization';

// Countries spanning several zones: the zone most of their people live in, for an organization's default.
const MOST_POPULOUS: Record<string, string> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City',
  RU: 'Europe/Moscow',
  ID: 'Asia/Jakarta',
};

const known = new Map<string, string | undefined>();

/**
 * The one zone of a country, or undefined when it has several. Zones that keep the same offsets all
 * year (Berlin and Büsingen) count as one: quiet hours fall the same. The name is the country's own
 * (Asia/Phnom_Penh rather than the Asia/Bangkok it links to).
 */
export function zoneOfCountry(country: string): string | undefined {
  if (known.has(country)) return known.get(country);
  const zones = getTimezonesForCountry(country, { deprecated: true }) ?? [];
  const canonical = zones.filter((z) => !z.aliasOf);
  const offsets = new Set(canonical.map((z) => `${z.utcOffset}/${z.dstOffset}`));
  let zone: string | undefined;
  if (offsets.size === 1) {
    zone =
      canonical.find((z) => z.countries[0] === country)?.name ??
      zones.find((z) => z.aliasOf && z.countries.length === 1 && /^[A-Z][a-z]+\/[A-Za-z_]+$/.test(z.name))
        ?.name ??
      canonical[0]?.name;
  }
  known.set(country, zone);
  return zone;
}

/** The zone of an E.164 number's country when that country has one zone. */
export function zoneOfPhone(e164: string | undefined): string | undefined {
  if (!e164) return undefined;
  const country = parsePhoneNumberFromString(e164)?.country;
  return country ? zoneOfCountry(country) : undefined;
}

/** The organization's zone for supporters nobody gave one: its own setting, else its region's zone, else UTC. */
export function organizationZone(defaultTimezone: string | null, region: string): string {
  return defaultTimezone ?? zoneOfCountry(region as CountryCode) ?? MOST_POPULOUS[region] ?? 'UTC';
}
