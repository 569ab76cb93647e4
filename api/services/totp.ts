import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the authenticator-app defaults: SHA-1, 6 digits, 30 s; one step of clock drift allowed. */
const totpFor = (secret: string, account = '') =>
  new TOTP({ issuer: 'Urgent Action', label: account, secret: Secret.fromBase32(secret) });

/** A new random base32 secret (160 bits) and its otpauth:// URI for the app to import. */
export function newTotpSecret(account: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, account).toString() };
}

/** Whether `code` is the current (or an adjacent) code of this secret. */
export function checkTotp(secret: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secret).validate({ token: code, window: 1 }) !== null;
}

/** The current code (tests, as an authenticator app would show it). */
export const currentTotp = (secret: string) => totpFor(secret).generate();
