import { z } from '@hono/zod-openapi';
import { suppressionSourceSchema } from '../../domain/suppression-sources';

// Building an Intl.DateTimeFormat costs ~150 µs: a 100k-row import asks about the same few zones.
const knownZones = new Map<string, boolean>();
const isTimeZone = (tz: string) => {
  const known = knownZones.get(tz);
  if (known !== undefined) return known;
  let ok = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    ok = false;
  }
  if (knownZones.size < 1000) knownZones.set(tz, ok);
  return ok;
};

export const SupporterInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().min(3).max(40).optional().openapi({
      description: 'Normalised to E.164; without a country code the organization default region applies.',
    }),
    email: z.email().max(320).optional(),
    locale: z.enum(['en', 'km']).default('en'),
    timezone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as America/New_York')
      .default('UTC'),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
    consent: z
      .object({ sms: z.boolean().default(false), email: z.boolean().default(false) })
      .strict()
      .default({ sms: false, email: false }),
  })
  .strict()
  .refine((s) => s.phone !== undefined || s.email !== undefined, {
    message: 'at least one of phone or email is required',
    path: ['phone'],
  })
  .openapi('SupporterInput', {
    example: {
      name: 'Sophea',
      phone: '+1 978 555 0100',
      email: 's@example.org',
      locale: 'km',
      timezone: 'America/New_York',
      tags: ['lowell'],
      consent: { sms: true, email: true },
    },
  });

export type SupporterInput = z.infer<typeof SupporterInputSchema>;

const SuppressionSchema = z
  .object({
    at: z.string().openapi({ description: 'When the phone or email was put on the suppression list' }),
    source: suppressionSourceSchema.openapi({ description: 'What put it there' }),
  })
  .openapi('Suppression');

export const SupporterSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    locale: z.enum(['en', 'km']),
    timezone: z.string(),
    tags: z.array(z.string()),
    consent: z.object({ sms: z.boolean(), email: z.boolean() }),
    optedOut: z.object({ sms: z.string().nullable(), email: z.string().nullable() }).openapi({
      description:
        'When each channel was opted out, on this record or by the suppression list (see `suppressed`); null when it is not.',
    }),
    suppressed: z.object({ sms: SuppressionSchema.nullable(), email: SuppressionSchema.nullable() }).openapi({
      description:
        'The phone or email is on the suppression list (an opt-out that belongs to the number or address, kept across imports and erasure): never sent to on that channel, whatever `consent` says, until the owner texts START or re-consent is recorded (POST /v1/supporters/{id}/consent).',
    }),
    erased: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Supporter');

export type Supporter = z.infer<typeof SupporterSchema>;
