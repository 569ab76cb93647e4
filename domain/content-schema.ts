import { z } from 'zod';

/** The only placeholders a message may use; the renderer fills each per recipient. */
export const PLACEHOLDERS = [
  'firstName',
  'actionUrl',
  'unsubscribeUrl',
  'caseName',
  'caseNumber',
  'targets',
  // case_alert with a case sheet: `UA 12/23`, and `UA 12/23 FI 2` in Further Information number 2.
  'uaNumber',
  'caseRef',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const KNOWN = new Set<string>(PLACEHOLDERS);
export const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Why a template's placeholders are wrong, one message per problem (empty when fine). */
export function placeholderProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
    const name = m[1] ?? '';
    if (!KNOWN.has(name))
      problems.push(
        `unknown placeholder {{${name}}}; allowed: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`,
      );
  }
  // A stray "{{" would be sent to supporters verbatim.
  if (text.replace(PLACEHOLDER_PATTERN, '').includes('{{')) problems.push('unclosed placeholder "{{"');
  return problems;
}

const templateText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      if (text.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be blank' });
      for (const message of placeholderProblems(text)) ctx.addIssue({ code: 'custom', message });
    });

/** One language's message parts: SMS text, email subject and email body (plain text). */
export const localizedMessageSchema = z
  .strictObject({
    // Twilio refuses bodies over 1,600 characters.
    sms: templateText(1600).optional(),
    subject: templateText(200)
      .refine((s) => !/[\r\n]/.test(s), 'must be a single line')
      .optional(),
    body: templateText(100_000).optional(),
  })
  .refine((m) => m.sms !== undefined || m.subject !== undefined || m.body !== undefined, {
    message: 'give at least one of sms, subject, body',
  });

export const LOCALES = ['en', 'km'] as const;
export type Locale = (typeof LOCALES)[number];

/** Bilingual content: at least one of `en`, `km`. */
export const contentSchema = z
  .strictObject({ en: localizedMessageSchema.optional(), km: localizedMessageSchema.optional() })
  .refine((c) => c.en !== undefined || c.km !== undefined, { message: 'give at least one locale (en, km)' });

export type LocalizedMessage = z.infer<typeof localizedMessageSchema>;
export type Content = z.infer<typeof contentSchema>;
/** Content as stored and carried: either locale, each part optional (what `contentSchema` admits, and empty). */
export type LocalizedContent = Partial<Record<Locale, LocalizedMessage>>;
