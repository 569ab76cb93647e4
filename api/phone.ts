import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 or undefined; a number without a country code is read in the organization's region. */
export function toE164(raw: string, defaultRegion: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}
