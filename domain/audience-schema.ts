import { z } from 'zod';

const tag = z.string().trim().min(1).max(100);

/** Supporters carrying any `include` tag (all when empty) and no `exclude` tag. */
export const tagFilterSchema = z.strictObject({
  include: z.array(tag).max(100).optional(),
  exclude: z.array(tag).max(100).optional(),
});

export const campaignAudienceSchema = z.strictObject({ tags: tagFilterSchema.optional() });

export const AUDIENCE_SELECTS = ['all', 'not_acted', 'acted'] as const;

export const stageAudienceSchema = z.strictObject({
  select: z.enum(AUDIENCE_SELECTS).optional(),
  tags: tagFilterSchema.optional(),
});

export type TagFilterInput = z.infer<typeof tagFilterSchema>;
export type AudienceSelect = (typeof AUDIENCE_SELECTS)[number];
/** Tag filter with both lists present, as resolved stages carry it. */
export interface TagFilter {
  include: string[];
  exclude: string[];
}
