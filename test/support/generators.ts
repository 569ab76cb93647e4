import { randomBytes, randomInt } from 'node:crypto';

// Values for tests, drawn fresh each call: tests share one database, and inbound SMS and the
// suppression list match phones and emails across organizations.

/** Any North American number (the area code may be unassigned): for rows written straight to tables. */
export const randomPhone = () =>
  `+1${randomInt(201, 990)}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

/** A valid Boston mobile number, for routes that check numbers (randomPhone is often not valid). */
export const mobilePhone = () =>
  `+1617${randomInt(200, 1000)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

// Real North American area codes, so the API's phone validation accepts every number drawn.
const AREA_CODES = ['212', '312', '339', '415', '508', '617', '646', '718', '781', '857', '978'];
const issued = new Set<string>();

/** A valid, random E.164 number not drawn before in this process. */
export function validPhone(): string {
  for (;;) {
    const area = AREA_CODES[randomInt(AREA_CODES.length)]!;
    const exchange = randomInt(200, 1000);
    if (exchange % 100 === 11 || exchange === 555) continue;
    const phone = `+1${area}${exchange}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    if (issued.has(phone)) continue;
    issued.add(phone);
    return phone;
  }
}

/** A fresh address at example.org: `s-<hex>@example.org`, or `<who>-<hex>@example.org`. */
export const randomEmail = (who = 's') => `${who}-${randomBytes(6).toString('hex')}@example.org`;

/** A tag no other test run uses: `<name>-<hex>`, so audiences select only this test's supporters. */
export const uniqueTag = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

/** A Twilio message SID. */
export const twilioSid = () => `SM${randomBytes(16).toString('hex')}`;
