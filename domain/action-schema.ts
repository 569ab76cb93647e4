import { z } from 'zod';

/** Someone supporters are asked to contact: an official, a legislator, a ministry. */
export const targetSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(200).optional(),
  email: z.email().optional(),
});

/** The action asked of supporters; tracked links redirect to `url`. */
export const actionSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  targets: z.array(targetSchema).max(100).optional(),
});

export type Target = z.infer<typeof targetSchema>;
export type Action = z.infer<typeof actionSchema>;
