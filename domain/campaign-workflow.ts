import type { CampaignStatus, StageCounts, StageStatus } from './campaign-status';
import type { LocalizedContent } from './content-schema';

export type { CampaignStatus, StageCounts, StageStatus };

// Shapes carried by the campaign workflow. Ids, times and plans only: never contact details.

import type { AudienceSelect, CASE_UPDATE_AUDIENCES } from './audience-schema';
import type { Resolution } from './campaign-schema';
import type { ChannelPolicy } from './channels';

export type { AudienceSelect, Resolution };

/** An organizer's change to a stage that has not started (the editStage Update). */
export interface StageEdit {
  key: string;
  at?: string;
  content?: LocalizedContent;
}

/** A case update (Further Information) or closure (the caseUpdate Update). */
export interface CaseUpdateRequest {
  content: LocalizedContent;
  audience: (typeof CASE_UPDATE_AUDIENCES)[number];
  resolution?: Resolution;
}

export interface TagFilter {
  include: string[];
  exclude: string[];
}

export interface StagePlan {
  key: string;
  kind: 'stage' | 'case_update';
  scheduledAt: string;
  audience: { select: AudienceSelect; tags?: TagFilter };
  channel: ChannelPolicy;
  /** The stage fires only while the campaign's action rate is below this (an escalation stage). */
  onlyIfActionRateBelow?: number;
  /** The stage fires only while one of these targets (names or keys) has no reply logged (sanctions escalation). */
  onlyIfTargetsPending?: string[];
  /** After the stage, if the action rate is below the threshold, take this step. */
  escalation?: {
    ifActionRateBelow: number;
    step: 'widen_audience' | 'notify_organizers';
    /** widen_audience: whom it adds (absent in plans launched before widenings were named: then nobody). */
    widenTo?: TagFilter;
  };
}

export interface StageState {
  plan: StagePlan;
  status: StageStatus;
  counts: StageCounts;
  stageRunId?: string;
  /** Where paging resumes after a continue-as-new: pass index (channel) and last seq sent. */
  cursor?: { pass: number; afterSeq: number };
}

export interface CampaignState {
  status: CampaignStatus;
  stages: StageState[];
  paused: boolean;
  cancelled: boolean;
  /** Set by older runs when a widen_audience escalation fired; read by nothing now (`widenedTo` says whom). */
  widened?: boolean;
  /** The `widenTo` tags of every widening that fired: later stages and case updates reach them too. */
  widenedTo?: TagFilter[];
  caseUpdateSeq: number;
  resolution?: Resolution;
  actionRate: number | null;
  escalations: EscalationRecord[];
  /**
   * case_alert with an appeal-by date (RFC 3339 instant): after it, pending stages are skipped and
   * the campaign ends completed. Moved by the appealBy Update.
   */
  appealBy?: string;
  /** What was last written to Postgres (reset before continue-as-new, so never carried across runs). */
  mirrored?: CampaignMirror;
}

/** The campaign's row as lists show it: written by the workflow only when it changes. */
export interface CampaignMirror {
  status: CampaignStatus;
  currentStage: string | null;
  nextStageAt: string | null;
}

/** An escalation that fired: after which stage, at what action rate, by which rule, adding whom. */
export interface EscalationRecord {
  stageKey: string;
  actionRate: number;
  step: string;
  ifActionRateBelow?: number;
  widenTo?: TagFilter;
}

export interface CampaignWorkflowInput {
  campaignId: string;
  orgId: string;
  kind: string;
  title: string;
  stages: StagePlan[];
  /** The case's appeal-by instant, if any (domain/case-sheet.ts appealByInstant). */
  appealBy?: string;
  /** Events after which the run continues as new (default 10,000); tests lower it. */
  historyLimit?: number;
  /** Present after continue-as-new: everything the previous run knew. */
  state?: CampaignState;
}

export interface CampaignStatusView {
  id: string;
  kind: string;
  title: string;
  status: CampaignStatus;
  currentStage: string | null;
  nextStageAt: string | null;
  actionRate: number | null;
  stages: Array<{ key: string; scheduledAt: string; status: StageStatus; counts: StageCounts }>;
  escalations: EscalationRecord[];
}
