const EMAIL = /[^\s@<>()[\]"'`,;:]+@[^\s@<>()[\]"'`,;:]+\.[A-Za-z]{2,}/g;
// Digits with the separators people and providers put in phone numbers; at least 7 digits to count.
const PHONE_LIKE = /\+?\(?\d[\d\s().\-/]{4,}\d/g;
const MIN_PHONE_DIGITS = 7;

/**
 * Removes email addresses and phone-number-like digit runs from a text meant for logs or storage.
 * It over-matches on purpose (long ids and dates may be masked too): leaking a contact is worse.
 */
export function scrubContactDetails(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE_LIKE, (match) => {
    const digits = match.replace(/\D/g, '').length;
    return digits >= MIN_PHONE_DIGITS ? '[phone]' : match;
  });
}
