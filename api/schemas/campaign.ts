import { z } from '@hono/zod-openapi';
import { campaignStatusSchema, stageCountsSchema, stageStatusSchema } from '../../domain/campaign-status';

export const CampaignStatusEnum = campaignStatusSchema;

export const CreatedCampaignSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    status: CampaignStatusEnum,
    stages: z.array(z.object({ key: z.string(), scheduledAt: z.string() })),
  })
  .openapi('CreatedCampaign');

const summary = {
  id: z.uuid(),
  workflowId: z.string(),
  kind: z.string(),
  title: z.string(),
  status: CampaignStatusEnum,
  currentStage: z.string().nullable(),
  nextStageAt: z.string().nullable(),
  createdAt: z.string(),
};

export const CampaignSummarySchema = z
  .object({ ...summary, actionRate: z.number().nullable() })
  .openapi('CampaignSummary');

export const CampaignSchema = z
  .object({
    ...summary,
    actionRate: z.number().nullable(),
    stages: z.array(
      z.object({
        key: z.string(),
        fi: z
          .number()
          .int()
          .optional()
          .openapi({ description: 'Case updates: their Further Information number (update-2 is FI 2)' }),
        scheduledAt: z.string().nullable(),
        status: stageStatusSchema,
        counts: stageCountsSchema,
      }),
    ),
    escalations: z.array(
      z.object({
        stageKey: z.string().openapi({ description: 'The stage after which the rule was checked' }),
        step: z.enum(['widen_audience', 'notify_organizers']),
        actionRate: z.number().openapi({ description: 'The action rate when the rule fired' }),
        ifActionRateBelow: z.number().nullable().openapi({
          description: "The rule's threshold (null for escalations recorded before it was kept)",
        }),
        widenedTo: z
          .object({ tags: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }) })
          .nullable()
          .openapi({
            description: 'Whom a widen_audience step added to later stages and case updates; null: nobody',
          }),
        at: z.string(),
      }),
    ),
  })
  .openapi('Campaign');

export const CampaignListSchema = z
  .object({ items: z.array(CampaignSummarySchema), nextCursor: z.string().nullable() })
  .openapi('CampaignList');

export const CampaignListQuery = z.object({
  status: CampaignStatusEnum.optional(),
  kind: z.enum(['case_alert', 'election_boycott', 'sanctions_lobbying', 'custom']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const StatusAnswer = z.object({ status: z.string() }).openapi('ControlAnswer');

const encodingSchema = z
  .object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int() })
  .nullable();

/** Recipients, segments per message and cost of one stage for one audience. */
const stageFigures = {
  recipients: z.number().int(),
  sms: z.object({ en: encodingSchema, km: encodingSchema }).openapi({
    description: 'Segments per language for a sample supporter (first name Sophea)',
  }),
  smsAudience: z
    .object({
      maxSegments: z.number().int(),
      recipientsAboveFewest: z.number().int(),
      bySegments: z.array(z.object({ segments: z.number().int(), recipients: z.number().int() })),
    })
    .openapi({
      description:
        'Segments as they will be sent, counted from the real audience (each name and language rendered): the worst case, how many recipients need more segments than the fewest, and the spread. The SMS cost uses it.',
    }),
  estimatedCost: z.object({ currency: z.literal('USD'), sms: z.number(), email: z.number() }),
};

const stageTextSchema = z.object({
  sms: z.string().optional(),
  smsSegments: z.object({ encoding: z.string(), segments: z.number().int() }).optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
});

export const PreviewSchema = z
  .object({
    case: z
      .object({
        uaNumber: z.string(),
        appealBy: z.string().nullable(),
        persons: z.array(z.string()),
        targets: z.array(
          z.object({
            key: z.string(),
            name: z.string(),
            language: z.enum(['en', 'km']),
            subject: z.string(),
            letter: z.string().openapi({
              description: 'The draft supporters start from (salutation, recommended actions, closing)',
            }),
          }),
        ),
      })
      .optional()
      .openapi({ description: 'case_alert with a case sheet: the case and the letter draft per target' }),
    audience: z.object({
      total: z.number().int(),
      sms: z.number().int(),
      email: z.number().int(),
      excluded: z.object({
        optedOut: z.number().int(),
        noConsent: z.number().int(),
        noContact: z.number().int(),
      }),
    }),
    stages: z.array(
      z.object({
        key: z.string(),
        scheduledAt: z.string(),
        channel: z.string(),
        audienceSelect: z.string().openapi({ description: 'all, not_acted or acted' }),
        text: z.object({ en: stageTextSchema.optional(), km: stageTextSchema.optional() }).openapi({
          description:
            "The stage's message per language as it will be rendered, with a sample supporter (first name Sophea, links of real length); parts the channel does not send are absent",
        }),
        template: z
          .object({
            id: z.string(),
            version: z.number().int(),
            origin: z.enum(['repository', 'organization']),
          })
          .optional()
          .openapi({
            description:
              'The prewritten template the text comes from (the stage gave no text of its own), and its version',
          }),
        ...stageFigures,
        ifWidened: z
          .object({
            by: z.array(
              z.object({
                stageKey: z.string(),
                ifActionRateBelow: z.number(),
                widenTo: z.object({
                  tags: z.object({ include: z.array(z.string()), exclude: z.array(z.string()).optional() }),
                }),
              }),
            ),
            ...stageFigures,
          })
          .optional()
          .openapi({
            description:
              'Present when an earlier stage may widen the audience: the same figures if its escalation fires (`by` names each rule).',
          }),
      }),
    ),
    approximate: z.boolean().openapi({
      description:
        'true when the figures are estimates from a sample of a large organization (a rule not counted before): `approximation` says how close; the exact figures follow on a later preview of the same rule, and a launch always targets the exact audience',
    }),
    approximation: z
      .object({
        method: z.literal('sample'),
        sampledShare: z.number().openapi({ description: "Share of the table's pages read (0..1]" }),
        audienceTotal: z
          .object({ low: z.number().int(), high: z.number().int() })
          .openapi({ description: "95 % interval of the audience's true total" }),
        exactPending: z.boolean().openapi({ description: 'The exact figures are being computed now' }),
      })
      .optional()
      .openapi({ description: 'Present when `approximate` is true' }),
  })
  .openapi('CampaignPreview');
