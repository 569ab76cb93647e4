import { z } from 'zod';
import { targetSchema } from './action-schema';
import { widenToSchema } from './audience-schema';
import { dateParamKeySchema } from './stage-schema';
import { durationSchema, rfc3339Schema } from './time-schemas';

/**
 * Playbook parameters. Every playbook number has a key here (defaults in playbooks/defaults.ts).
 * Besides the known keys, any `…Date` key holding an RFC 3339 time may be given as a stage anchor.
 */
const known = {
  caseName: z.string().trim().min(1).max(200).optional(),
  caseNumber: z.string().trim().min(1).max(100).optional(),
  electionDate: rfc3339Schema.optional(),
  /** sanctions_lobbying: the escalation fires on this date if targets have not responded. */
  respondByDate: rfc3339Schema.optional(),
  weeks: z.int().min(1).max(52).optional(),
  /** sanctions_lobbying: week i asks about weeklyTargets[i]; later weeks use action.targets. */
  weeklyTargets: z.array(z.array(targetSchema).min(1).max(100)).max(52).optional(),
  askEvery: durationSchema.optional(),
  actionRateThreshold: z.number().min(0).max(1).optional(),
  followUpAfter: durationSchema.optional(),
  escalationAfter: durationSchema.optional(),
  /** case_alert: whom the escalation adds if too few act (e.g. partner lists); without it, organizers are notified only. */
  widenTo: widenToSchema.optional(),
  /** election_boycott: reminders this long before the election date. */
  countdown: z.array(durationSchema).min(1).max(20).optional(),
  reportAfter: durationSchema.optional(),
};

export const paramsSchema = z
  .object(known)
  .catchall(z.unknown())
  .superRefine((params, ctx) => {
    for (const [key, value] of Object.entries(params)) {
      if (Object.hasOwn(known, key)) continue;
      if (!dateParamKeySchema.safeParse(key).success) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'unknown parameter' });
        continue;
      }
      const parsed = rfc3339Schema.safeParse(value);
      if (!parsed.success)
        ctx.addIssue({ code: 'custom', path: [key], message: parsed.error.issues[0]!.message });
    }
  });

export type Params = z.infer<typeof paramsSchema>;
