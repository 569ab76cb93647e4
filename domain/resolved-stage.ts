import type { Action } from './action-schema';
import type { AudienceSelect, TagFilter } from './audience-schema';
import type { CampaignKind } from './campaign-schema';
import type { CaseSheet } from './case-sheet';
import type { ChannelPolicy } from './channels';
import type { Content } from './content-schema';
import type { Params } from './params-schema';
import type { StageCondition, StageEscalation, StageTiming } from './stage-schema';
import type { TemplateRef } from './stage-templates/types';
import type { Survey } from './survey-schema';

/**
 * A stage ready to run: time fixed, audience, channel and content filled in. This is what the
 * campaign workflow plans with and what activities read content from.
 */
export interface ResolvedStage {
  key: string;
  /** RFC 3339 UTC instant. */
  scheduledAt: string;
  /** The timing as declared, kept for display and for re-planning an edit. */
  at: StageTiming;
  /** How the stage narrows the campaign's audience (domain/audience-rule.ts combines the two). */
  audience: { select: AudienceSelect; tags: TagFilter };
  channel: ChannelPolicy;
  /** Never empty; the email part of each locale has a subject (default: the campaign title). */
  content: Content;
  action?: Action;
  /**
   * Checked when the stage is due; the stage is skipped unless every given part holds.
   * `actionRateBelow`: the campaign's action rate is under this share.
   * `targetsPending`: some named target has not responded (target_responses, logged by organizers
   * or by a reply to the campaign's reply address).
   */
  condition?: StageCondition;
  /** After the stage has gone out: if the action rate is under the threshold, take the step. */
  escalation?: StageEscalation;
  /** The prewritten template (id and version) the content was filled from, when the stage gave none. */
  template?: TemplateRef;
  /** `playbook` when the playbook made it and no request entry touched it. */
  source: 'playbook' | 'request';
}

/** A definition expanded for launch: defaults applied, stages resolved and sorted by time. */
export interface ExpandedCampaign {
  kind: CampaignKind;
  title: string;
  params: Params;
  launchAt: string;
  options: { quietHours: boolean };
  audience: { tags: TagFilter };
  content?: Content;
  action?: Action;
  /** kind monitoring: the survey (first question in each round's content, the rest in workflows/survey.ts). */
  survey?: Survey;
  /** case_alert: the Urgent Action case sheet, as given (appealBy may be moved by PATCH /v1/campaigns/:id). */
  case?: CaseSheet;
  stages: ResolvedStage[];
  /** Playbook default stages left out because their time had passed at launch (late election countdowns). */
  dropped: Array<{ key: string; reason: 'past_at_launch' }>;
  /** election_boycott: the post-election report's time; nothing is sent after it. */
  windowEnd?: string;
}
