import { z } from 'zod';
import { actionSchema } from './action-schema';
import { stageAudienceSchema, type WidenTo, widenToSchema } from './audience-schema';
import { channelPolicySchema } from './channels';
import { contentSchema } from './content-schema';
import { durationSchema, rfc3339Schema } from './time-schemas';

/** Lowercase slug; `update-N` and `closure-N` name the workflow's on-demand case updates. */
export const stageKeySchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug such as follow-up or week-2')
  .refine((k) => !/^(?:update|closure)-\d+$/.test(k), 'is reserved for case updates');

/** A params key holding an RFC 3339 date: electionDate, respondByDate, or any other `…Date`. */
export const dateParamKeySchema = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*Date$/, 'must name a date parameter such as electionDate');

/**
 * When a stage fires: `after` a duration from launch (or from an anchor date when one is named),
 * at an absolute time, or `before` an anchor date taken from params.
 */
export const stageTimingSchema = z.union(
  [
    z.strictObject({ after: durationSchema, anchor: dateParamKeySchema.optional() }),
    z.strictObject({ at: rfc3339Schema }),
    z.strictObject({ before: durationSchema, anchor: dateParamKeySchema }),
  ],
  { error: 'give one of { after }, { at } or { before, anchor }' },
);

export const ESCALATION_STEPS = ['widen_audience', 'notify_organizers'] as const;

/**
 * After the stage has gone out: if the campaign's action rate is below the threshold, take the step.
 * `widen_audience` adds exactly the supporters `widenTo` names to the campaign's later stages.
 */
export const escalationSchema = z
  .strictObject({
    ifActionRateBelow: z.number().min(0).max(1),
    // biome-ignore lint/suspicious/noThenProperty: API.md names the field; its value is a string, never a callable thenable.
    then: z.enum(ESCALATION_STEPS),
    widenTo: widenToSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.then === 'widen_audience' && e.widenTo === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['widenTo'],
        message: 'required with then: widen_audience: name the tags the audience widens to',
      });
    if (e.then !== 'widen_audience' && e.widenTo !== undefined)
      ctx.addIssue({ code: 'custom', path: ['widenTo'], message: 'only used with then: widen_audience' });
  });

/** Builds an escalation rule (one place spells the `then` field); widening always names whom it adds. */
export function escalationRule(
  ifActionRateBelow: number,
  ...step: ['notify_organizers'] | ['widen_audience', WidenTo]
): z.infer<typeof escalationSchema> {
  // biome-ignore lint/suspicious/noThenProperty: see escalationSchema.
  if (step[0] === 'notify_organizers') return { ifActionRateBelow, then: step[0] };
  // biome-ignore lint/suspicious/noThenProperty: see escalationSchema.
  return { ifActionRateBelow, then: step[0], widenTo: step[1] };
}

/** Gate checked when the stage is due; a stage whose condition does not hold is skipped. */
export const stageConditionSchema = z
  .strictObject({
    actionRateBelow: z.number().min(0).max(1).optional(),
    targetsPending: z.array(z.string().min(1).max(200)).max(100).optional(),
  })
  .refine((c) => c.actionRateBelow !== undefined || c.targetsPending !== undefined, {
    message: 'give actionRateBelow or targetsPending',
  });

/** A stage as a request gives it. Only `key` is required: an entry overriding a playbook stage may change one field. */
export const stageSchema = z.strictObject({
  key: stageKeySchema,
  at: stageTimingSchema.optional(),
  audience: stageAudienceSchema.optional(),
  channel: channelPolicySchema.optional(),
  content: contentSchema.optional(),
  action: actionSchema.optional(),
  condition: stageConditionSchema.optional(),
  escalation: escalationSchema.optional(),
});

/** PATCH /v1/campaigns/:id/stages/:key */
export const stageEditSchema = z
  .strictObject({ at: rfc3339Schema.optional(), content: contentSchema.optional() })
  .refine((e) => e.at !== undefined || e.content !== undefined, { message: 'give at or content' });

export type StageTiming = z.infer<typeof stageTimingSchema>;
export type StageEscalation = z.infer<typeof escalationSchema>;
export type StageCondition = z.infer<typeof stageConditionSchema>;
export type StageInput = z.infer<typeof stageSchema>;
export type StageEditInput = z.infer<typeof stageEditSchema>;
