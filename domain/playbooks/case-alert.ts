import type { CampaignDefinition } from '../campaign-schema';
import { escalationRule } from '../stage-schema';
import { PLAYBOOK_DEFAULTS } from './defaults';
import type { PlaybookStages } from './types';

/**
 * Urgent Action: alert now, follow up with those who have not acted, escalate if too few act.
 * Case updates and closure are on demand (workflow Updates), not stages.
 */
export function caseAlertStages(def: CampaignDefinition): PlaybookStages {
  const params = def.params ?? {};
  const threshold = params.actionRateThreshold ?? PLAYBOOK_DEFAULTS.actionRateThreshold;
  return {
    issues: [],
    stages: [
      {
        key: 'alert',
        at: { after: 'PT0S' },
        atPath: 'launchAt',
        audience: { select: 'all' },
        // SMS for immediacy and email for the full case and targets, which an SMS cannot carry.
        channel: 'both',
        source: 'playbook',
      },
      {
        key: 'follow-up',
        at: { after: params.followUpAfter ?? PLAYBOOK_DEFAULTS.followUpAfter },
        atPath: 'params.followUpAfter',
        audience: { select: 'not_acted' },
        // A reminder: one message per supporter, email only where SMS cannot reach.
        channel: 'sms_then_email',
        // Widening after the follow-up lets the escalation reach the partner lists the organizer named; never anyone else.
        escalation: params.widenTo
          ? escalationRule(threshold, 'widen_audience', params.widenTo)
          : escalationRule(threshold, 'notify_organizers'),
        source: 'playbook',
      },
      {
        key: 'escalation',
        at: { after: params.escalationAfter ?? PLAYBOOK_DEFAULTS.escalationAfter },
        atPath: 'params.escalationAfter',
        audience: { select: 'not_acted' },
        channel: 'sms_then_email',
        condition: { actionRateBelow: threshold },
        escalation: escalationRule(threshold, 'notify_organizers'),
        source: 'playbook',
      },
    ],
  };
}
