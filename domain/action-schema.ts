import { z } from 'zod';

/** Someone supporters are asked to contact: an official, a legislator, a ministry. */
export const targetSchema = z.strictObject({
  /** Names the target in letters and replies; default t1, t2, … in list order (domain/case-targets.ts). */
  key: z
    .string()
    .max(32)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug such as t1 or minister')
    .optional(),
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(200).optional(),
  /** Opens the letter, e.g. "Dear Minister" (default: "Dear <title or name>"). */
  salutation: z.string().trim().min(1).max(200).optional(),
  /** Postal address, shown on the action page for supporters who write by post. */
  address: z.string().trim().min(1).max(500).optional(),
  email: z.email().optional(),
  /** The language letters to this target are drafted in (default en). */
  language: z.enum(['en', 'km']).optional(),
});

/**
 * The action asked of supporters. Tracked links redirect to `url`; a case_alert with a case sheet
 * hosts its own action page (`/a/:token`) and may leave `url` out.
 */
export const actionSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    targets: z.array(targetSchema).max(100).optional(),
  })
  .refine((a) => a.url !== undefined || (a.targets?.length ?? 0) > 0, {
    message: 'give url, targets, or both',
  });

export type Target = z.infer<typeof targetSchema>;
export type Action = z.infer<typeof actionSchema>;
