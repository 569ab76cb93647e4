import type { StagePlan } from '../../../domain/campaign-workflow';

const DAY = 24 * 60 * 60 * 1000;
export const at = (launch: number, days: number) => new Date(launch + days * DAY).toISOString();

/** The Urgent Action shape: alert now, follow-up +3 d to non-actors, escalation +7 d if the rate is low. */
export function caseAlertPlan(launch: number, threshold = 0.2): StagePlan[] {
  return [
    {
      key: 'alert',
      kind: 'stage',
      scheduledAt: at(launch, 0),
      audience: { select: 'all' },
      channel: 'sms_then_email',
    },
    {
      key: 'follow-up',
      kind: 'stage',
      scheduledAt: at(launch, 3),
      audience: { select: 'not_acted' },
      channel: 'sms',
    },
    {
      key: 'escalation',
      kind: 'stage',
      scheduledAt: at(launch, 7),
      audience: { select: 'not_acted' },
      channel: 'both',
      onlyIfActionRateBelow: threshold,
      escalation: { ifActionRateBelow: threshold, step: 'notify_organizers' },
    },
  ];
}
