import { z } from 'zod';

const tag = z.string().trim().min(1).max(100);

/** Supporters carrying any `include` tag (all when empty) and no `exclude` tag. */
export const tagFilterSchema = z.strictObject({
  include: z.array(tag).max(100).optional(),
  exclude: z.array(tag).max(100).optional(),
});

export const campaignAudienceSchema = z.strictObject({ tags: tagFilterSchema.optional() });

/** Whom a stage run selects within the campaign's audience (the rule: domain/audience-rule.ts). */
export const AUDIENCE_SELECTS = ['all', 'not_acted', 'acted', 'recipients'] as const;
export type AudienceSelect = (typeof AUDIENCE_SELECTS)[number];
/** What an organizer chooses for a stage (`recipients` belongs to case updates). */
export const STAGE_SELECTS = ['all', 'not_acted', 'acted'] as const satisfies readonly AudienceSelect[];
/** Whom a case update (Further Information) or closure reaches. */
export const CASE_UPDATE_AUDIENCES = [
  'recipients',
  'acted',
  'all',
] as const satisfies readonly AudienceSelect[];

export const stageAudienceSchema = z.strictObject({
  select: z.enum(STAGE_SELECTS).optional(),
  tags: tagFilterSchema.optional(),
});

/**
 * Who an escalation adds, named by the organizer: supporters carrying any `include` tag (at least
 * one: an empty list would mean everyone) and none of `exclude`. The campaign's and the stage's
 * exclusions, consent, opt-outs and quiet hours still apply to them.
 */
export const widenToSchema = z
  .strictObject({
    tags: z.strictObject({
      include: z.array(tag).min(1, 'name at least one tag to widen to').max(100),
      exclude: z.array(tag).max(100).optional(),
    }),
  })
  .describe(
    "Whom a widen_audience escalation adds to later stages and case updates: supporters with any include tag and no exclude tag; the campaign's exclusions, consent and opt-outs still apply",
  );

export type TagFilterInput = z.infer<typeof tagFilterSchema>;
export type StageSelect = (typeof STAGE_SELECTS)[number];
export type WidenTo = z.infer<typeof widenToSchema>;
/** Tag filter with both lists present, as resolved stages carry it. */
export interface TagFilter {
  include: string[];
  exclude: string[];
}
