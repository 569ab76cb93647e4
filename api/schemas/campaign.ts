import { z } from '@hono/zod-openapi';
import { stageCountsSchema, stageStatusSchema } from '../../domain/campaign-status';

export const CampaignStatusEnum = z.enum([
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
  'closed',
]);

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
        scheduledAt: z.string().nullable(),
        status: stageStatusSchema,
        counts: stageCountsSchema,
      }),
    ),
    escalations: z.array(
      z.object({ stageKey: z.string(), step: z.string(), actionRate: z.number(), at: z.string() }),
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

export const PreviewSchema = z
  .object({
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
        recipients: z.number().int(),
        sms: z.object({ en: encodingSchema, km: encodingSchema }),
        estimatedCost: z.object({ currency: z.literal('USD'), sms: z.number(), email: z.number() }),
      }),
    ),
  })
  .openapi('CampaignPreview');
