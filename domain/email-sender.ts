import { z } from 'zod';

/**
 * How an organization presents itself in email (organization settings, PATCH /v1/organization
 * `email`): all optional. `senderName` is the From display name (default: the organization name),
 * `replyTo` an address that reads replies, `postalAddress` the footer's mailing address (up to 4
 * lines), `logoUrl` an https image shown 160 CSS px wide above the message.
 */
export interface EmailSender {
  senderName: string | null;
  replyTo: string | null;
  postalAddress: string | null;
  logoUrl: string | null;
}

export const NO_EMAIL_SENDER: EmailSender = {
  senderName: null,
  replyTo: null,
  postalAddress: null,
  logoUrl: null,
};

// A display name goes into the From header: no quotes, angle brackets, backslashes or line breaks.
const senderName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((v) => !/[<>"\\\p{Cc}]/u.test(v), 'no quotes, angle brackets, backslashes or line breaks');

const postalAddress = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .transform((v) => v.replace(/\r\n?/g, '\n'))
  .refine((v) => v.split('\n').length <= 4, 'at most 4 lines')
  .refine((v) => !/(?!\n)\p{Cc}/u.test(v), 'no control characters');

const logoUrl = z
  .url({
    protocol: /^https$/,
    hostname: z.regexes.domain,
    error: 'an https address, e.g. https://example.org/logo.png',
  })
  .max(500)
  .refine((v) => !/["'<>\s]/.test(v), 'a plain https address (no quotes, spaces or angle brackets)');

/** The `email` part of PATCH /v1/organization: `null` clears a setting, an absent key keeps it. */
export const emailSenderPatchSchema = z.strictObject({
  senderName: senderName.nullable().optional(),
  replyTo: z.email().max(254).nullable().optional(),
  postalAddress: postalAddress.nullable().optional(),
  logoUrl: logoUrl.nullable().optional(),
});
export type EmailSenderPatch = z.infer<typeof emailSenderPatchSchema>;

export function mergeEmailSender(now: EmailSender, patch: EmailSenderPatch | undefined): EmailSender {
  const pick = <K extends keyof EmailSender>(k: K) =>
    patch?.[k] === undefined ? now[k] : (patch[k] ?? null);
  return {
    senderName: pick('senderName'),
    replyTo: pick('replyTo'),
    postalAddress: pick('postalAddress'),
    logoUrl: pick('logoUrl'),
  };
}

/**
 * The From header: the configured address (RESEND_FROM's, e.g. "Urgent Action <alerts@x.org>") under
 * the organization's display name, quoted so commas and dots stay part of the name.
 */
export function fromHeader(configuredFrom: string, displayName: string): string {
  const address = /<([^>]+)>\s*$/.exec(configuredFrom)?.[1] ?? configuredFrom.trim();
  return `"${displayName.replace(/[<>"\\\p{Cc}]/gu, '')}" <${address}>`;
}
