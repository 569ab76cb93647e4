import { z } from 'zod';
import { PLACEHOLDER_PATTERN, PLACEHOLDERS } from '../content-schema';
import { LAUNCH_FIELDS } from './launch-fields';

const ALLOWED = new Set<string>([...PLACEHOLDERS, ...LAUNCH_FIELDS]);
const allowedList = [...ALLOWED].map((p) => `{{${p}}}`).join(' ');

/** A template text: the recipient's placeholders plus the launch fields ({{title}}, {{electionDate}}, …). */
const templateText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      if (text.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be blank' });
      for (const m of text.matchAll(PLACEHOLDER_PATTERN))
        if (!ALLOWED.has(m[1] ?? ''))
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {{${m[1]}}}; allowed: ${allowedList}`,
          });
      if (text.replace(PLACEHOLDER_PATTERN, '').includes('{{'))
        ctx.addIssue({ code: 'custom', message: 'unclosed placeholder "{{"' });
    });

const overrideMessageSchema = z
  .strictObject({
    sms: templateText(1600).optional(),
    subject: templateText(200)
      .refine((s) => !/[\r\n]/.test(s), 'must be a single line')
      .optional(),
    body: templateText(100_000).optional(),
  })
  .refine((m) => m.sms !== undefined || m.subject !== undefined || m.body !== undefined, {
    message: 'give at least one of sms, subject, body',
  });

/** PUT /v1/organization/stage-templates/:kind/:stage: the parts the organization words its own way. */
export const templateOverrideSchema = z.strictObject({
  content: z
    .strictObject({ en: overrideMessageSchema.optional(), km: overrideMessageSchema.optional() })
    .refine((c) => c.en !== undefined || c.km !== undefined, {
      message: 'give at least one locale (en, km)',
    }),
});

export type TemplateOverrideInput = z.infer<typeof templateOverrideSchema>;
