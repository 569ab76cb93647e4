import type { CampaignMirror, CampaignState, CampaignStatus, StageState } from '../domain/campaign-workflow';
import type { DeliveryChannel } from '../domain/channels';

/**
 * Pure decisions of the campaign workflow: which stage runs next, through which delivery passes,
 * and what Postgres should show. No Temporal API here, so each is unit-tested on plain values.
 */

/** One paging pass of a stage over its snapshot; `fallbackOnly` reaches only those SMS could not. */
export interface Pass {
  channel: DeliveryChannel;
  fallbackOnly: boolean;
}

/** The passes a stage's channel policy makes. sms_then_email: the email pass reaches only those the SMS pass could not (no number, no consent, permanent failure). */
export function passesFor(policy: StageState['plan']['channel']): Pass[] {
  switch (policy) {
    case 'sms':
      return [{ channel: 'sms', fallbackOnly: false }];
    case 'email':
      return [{ channel: 'email', fallbackOnly: false }];
    case 'both':
      return [
        { channel: 'sms', fallbackOnly: false },
        { channel: 'email', fallbackOnly: false },
      ];
    case 'sms_then_email':
      return [
        { channel: 'sms', fallbackOnly: false },
        { channel: 'email', fallbackOnly: true },
      ];
  }
}

/** The stage to run or wait for: case updates jump the queue; otherwise by time, then declaration order. */
export function nextPending(stages: readonly StageState[]): StageState | undefined {
  return stages
    .filter((st) => st.status === 'pending' || st.status === 'running')
    .sort((a, b) => {
      if (a.plan.kind !== b.plan.kind) return a.plan.kind === 'case_update' ? -1 : 1;
      return Date.parse(a.plan.scheduledAt) - Date.parse(b.plan.scheduledAt);
    })[0];
}

/** A closure is queued: ordinary stages still pending are cancelled, a running one stops at its next page. */
export function closing(s: Pick<CampaignState, 'stages' | 'resolution'>): boolean {
  return s.stages.some((st) => st.plan.kind === 'case_update' && st.status === 'pending' && s.resolution);
}

/** The status the campaign shows while it is not finishing: paused, still scheduled, or running. */
export function desiredStatus(s: Pick<CampaignState, 'paused' | 'status'>): CampaignStatus {
  return s.paused ? 'paused' : s.status === 'scheduled' ? 'scheduled' : 'running';
}

/** What Postgres shows for lists (campaigns.status, current_stage, next_stage_at) given the state. */
export function mirrorSnapshot(stages: readonly StageState[], status: CampaignStatus): CampaignMirror {
  return {
    status,
    currentStage: stages.find((st) => st.status === 'running')?.plan.key ?? null,
    nextStageAt:
      stages
        .filter((st) => st.status === 'pending')
        .map((st) => st.plan.scheduledAt)
        .sort()[0] ?? null,
  };
}

/** Whether two mirrors show the same thing (an absent one, never written, differs from any). */
export function sameMirror(a: CampaignMirror | undefined, b: CampaignMirror | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.status === b.status &&
    a.currentStage === b.currentStage &&
    a.nextStageAt === b.nextStageAt
  );
}
