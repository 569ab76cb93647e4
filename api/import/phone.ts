import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A phone as people write it, read into E.164, or why it cannot be (never echoing the number). */
export type PhoneReading = { e164: string } | { error: string };

/** Any script's decimal digits as ASCII: Khmer ០-៩, Arabic-Indic, fullwidth, mathematical... */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (ch) => {
    // Unicode decimal digits come in runs of ten from zero: the value is the distance to the run's start.
    let cp = ch.codePointAt(0)!;
    let k = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1)) && k < 100) {
      cp--;
      k++;
    }
    return String(k % 10);
  });
}

// A long number a spreadsheet showed in scientific notation (8.55123E+11): its last digits are gone.
const SCIENTIFIC = /^\+?\d[.,]\d+\s*E\s*\+?\d+$/i;

/**
 * International prefixes as dialled from the U.S. (011), Europe (00) and Cambodia (001, 007, 008),
 * for a number the organization's region does not read: each reading must be a valid number, and
 * two different valid readings are refused rather than guessed between.
 */
function internationalReadings(text: string): string[] {
  const digits = text.replace(/[^\d]/g, '');
  const candidates: string[] = [];
  if (digits.startsWith('011')) candidates.push(digits.slice(3));
  if (digits.startsWith('00')) candidates.push(digits.slice(2));
  if (/^00[178]/.test(digits)) candidates.push(digits.slice(3));
  const valid = candidates
    .map((d) => parsePhoneNumberFromString(`+${d}`))
    .filter((p) => p?.isValid())
    .map((p) => p!.number as string);
  return [...new Set(valid)];
}

export function readPhone(raw: string, defaultRegion: string): PhoneReading {
  const text = asciiDigits(raw.normalize('NFKC')).replace(/^'/, '').trim();
  if (SCIENTIFIC.test(text))
    return {
      error:
        'is in scientific notation, as a spreadsheet shows a long number: its last digits are lost; format the column as text and export again',
    };
  const parsed = parsePhoneNumberFromString(text, defaultRegion as CountryCode);
  if (parsed?.ext)
    return {
      error: `has an extension (ext. ${parsed.ext}): an extension is never an SMS destination; give a mobile number without it`,
    };
  if (parsed?.isValid()) return { e164: parsed.number };
  if (/^\D*0(0|11)/.test(text)) {
    const readings = internationalReadings(text);
    if (readings.length === 1) return { e164: readings[0]! };
    if (readings.length > 1)
      return {
        error: `starts with an international prefix that reads as ${readings.length} different numbers; write it with + and the country code`,
      };
  }
  return { error: `not a valid phone number (default region ${defaultRegion})` };
}
