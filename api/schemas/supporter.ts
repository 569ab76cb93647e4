import { z } from '@hono/zod-openapi';
import { suppressionSourceSchema } from '../../domain/suppression-sources';

// Building an Intl.DateTimeFormat costs ~150 µs: a 100k-row import asks about the same few zones.
const knownZones = new Map<string, boolean>();
export const isTimeZone = (tz: string) => {
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

// A blank cell or an empty string says nothing: it keeps what is stored, like a field left out.
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const SupporterInputSchema = z
  .object({
    name: z.preprocess(blank, z.string().trim().min(1).max(200).nullable().optional()).openapi({
      description: 'Left out or blank keeps the stored name; `null` clears it.',
    }),
    phone: z.preprocess(blank, z.string().trim().min(3).max(40).optional()).openapi({
      description: 'Normalised to E.164; without a country code the organization default region applies.',
    }),
    email: z.preprocess(blank, z.email().max(320).optional()),
    locale: z.preprocess(blank, z.enum(['en', 'km']).optional()).openapi({
      description:
        'Left out or blank keeps the stored language (`en` for a new supporter); send `en` to reset it.',
    }),
    timezone: z
      .preprocess(
        blank,
        z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').optional(),
      )
      .openapi({
        description:
          'Left out or blank keeps the stored zone; a new supporter gets the zone of its phone number when that country has one, else the organization default (see `timezoneSource`).',
      }),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).default([]).openapi({
      description: 'Added to the stored tags; tags are never removed by an upsert.',
    }),
    consent: z
      .object({ sms: z.boolean().optional(), email: z.boolean().optional() })
      .strict()
      .optional()
      .openapi({
        description:
          'A channel left out keeps its stored consent (none for a new supporter); `false` withdraws it.',
      }),
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
    timezoneSource: z.enum(['given', 'phone', 'organization']).openapi({
      description:
        'Where `timezone` came from: given (typed or sent), phone (the country of the number has one zone), organization (its default zone)',
    }),
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
