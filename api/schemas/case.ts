import { z } from '@hono/zod-openapi';
import { appealBySchema } from '../../domain/case-sheet';
import { rfc3339Schema } from '../../domain/time-schemas';

/** POST /v1/campaigns/:id/target-responses */
export const TargetResponseInput = z
  .strictObject({
    target: z.string().min(1).max(200).openapi({ description: 'The target key (t1, t2, …) or its name' }),
    summary: z.string().trim().min(1, 'must not be blank').max(5_000),
    receivedAt: rfc3339Schema.describe('When the reply arrived (RFC 3339)'),
  })
  .openapi('TargetResponseInput', {
    example: {
      target: 't1',
      summary: 'The ministry says the case is before the court.',
      receivedAt: '2027-01-10T08:30:00Z',
    },
  });

export const TargetResponseSchema = z
  .object({
    id: z.uuid(),
    target: z.string(),
    targetName: z.string(),
    summary: z.string(),
    receivedAt: z.string(),
    source: z.enum(['organizer', 'email']),
    fromAddress: z
      .string()
      .nullable()
      .openapi({ description: "The target's own address when the reply came by email" }),
    createdAt: z.string(),
  })
  .openapi('TargetResponse');

export const TargetResponseList = z
  .object({ items: z.array(TargetResponseSchema) })
  .openapi('TargetResponseList');

/** PATCH /v1/campaigns/:id */
export const CampaignPatchInput = z.strictObject({ appealBy: appealBySchema }).openapi('CampaignPatch', {
  description: 'Extend (or move) the appeal-by date of a case_alert with a case sheet',
  example: { appealBy: '2027-02-15' },
});

export const CampaignPatchAnswer = z
  .object({
    id: z.uuid(),
    appealBy: z.string().openapi({ description: 'The appeal closes at this instant' }),
  })
  .openapi('CampaignPatched');

/** GET /v1/campaigns/:id/case */
export const CaseViewSchema = z
  .object({
    uaNumber: z.string().nullable(),
    case: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The case sheet as stored' }),
    appealBy: z.string().nullable().openapi({ description: 'The instant the appeal closes' }),
    replyAddress: z.string().openapi({ description: 'Reply-To of letters; replies to it are logged' }),
    targets: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        title: z.string().nullable(),
        language: z.enum(['en', 'km']),
        salutation: z.string().nullable(),
        address: z.string().nullable(),
        hasEmail: z.boolean(),
        letters: z.number().int().openapi({ description: 'Letters sent through the network' }),
        responses: z.number().int(),
      }),
    ),
    furtherInformation: z.array(
      z.object({
        fi: z.number().int(),
        key: z.string(),
        ref: z.string().openapi({ description: 'UA 12/23 FI 1' }),
        closure: z.boolean(),
        status: z.string(),
        scheduledAt: z.string().nullable(),
        sent: z.number().int(),
      }),
    ),
    responses: z.array(TargetResponseSchema),
  })
  .openapi('CaseView');
