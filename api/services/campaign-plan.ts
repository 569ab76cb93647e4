import type { StagePlan } from '../../domain/campaign-workflow';
import type { StoredDefinition } from '../../domain/stored-definition';

/** What the workflow plans with: times, audiences, channels and gates; content stays in Postgres. */
export function toStagePlans(campaign: Pick<StoredDefinition, 'stages'>): StagePlan[] {
  return (campaign.stages ?? []).map((s) => ({
    key: s.key,
    kind: 'stage',
    scheduledAt: s.scheduledAt,
    audience: {
      select: s.audience.select,
      tags: s.audience.tags && {
        include: [...(s.audience.tags.include ?? [])],
        exclude: [...(s.audience.tags.exclude ?? [])],
      },
    },
    channel: s.channel,
    // targetsPending reads the replies logged for the campaign (db/target-responses.ts) when the stage is due.
    ...(s.condition?.targetsPending?.length ? { onlyIfTargetsPending: [...s.condition.targetsPending] } : {}),
    ...(s.condition?.actionRateBelow !== undefined
      ? { onlyIfActionRateBelow: s.condition.actionRateBelow }
      : {}),
    ...(s.escalation
      ? {
          escalation: {
            ifActionRateBelow: s.escalation.ifActionRateBelow,
            step: s.escalation.then,
            ...(s.escalation.widenTo
              ? {
                  widenTo: {
                    include: [...(s.escalation.widenTo.tags.include ?? [])],
                    exclude: [...(s.escalation.widenTo.tags.exclude ?? [])],
                  },
                }
              : {}),
          },
        }
      : {}),
  }));
}
