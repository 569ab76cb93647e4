import type { Action } from '../action-schema';
import type { AudienceSelect, TagFilterInput } from '../audience-schema';
import type { ChannelPolicy } from '../channels';
import type { Content } from '../content-schema';
import type { Issue } from '../definition-error';
import type { SchedulableStage } from '../schedule';
import type { StageCondition, StageEscalation, StageTiming } from '../stage-schema';

/** A stage before its time and defaults are resolved: a playbook default, a request entry, or both merged. */
export interface DraftStage extends SchedulableStage {
  key: string;
  at?: StageTiming;
  audience?: { select?: AudienceSelect; tags?: TagFilterInput };
  channel?: ChannelPolicy;
  content?: Content;
  action?: Action;
  condition?: StageCondition;
  escalation?: StageEscalation;
  /** Error path of the stage's own content (`stages.2.content`); absent means the campaign's `content`. */
  contentPath?: string;
  source: 'playbook' | 'request';
}

/** A playbook's default stages, plus any problems with the params that shape them. */
export interface PlaybookStages {
  stages: DraftStage[];
  issues: Issue[];
}
