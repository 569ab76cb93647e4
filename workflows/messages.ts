import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CampaignStatusView,
  CaseUpdateRequest,
  StageCounts,
  StageEdit,
  StageStatus,
} from '../domain/campaign-workflow';

export type { CaseUpdateRequest, StageEdit };

export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const cancelSignal = defineSignal('cancel');
export const statusQuery = defineQuery<CampaignStatusView>('status');
export const editStageUpdate = defineUpdate<
  { key: string; scheduledAt: string; status: StageStatus; counts: StageCounts },
  [StageEdit]
>('editStage');
/** PATCH /v1/campaigns/:id `{ appealBy }`: the new appeal-by instant (RFC 3339). */
export interface AppealByRequest {
  appealBy: string;
}

export const appealByUpdate = defineUpdate<{ appealBy: string }, [AppealByRequest]>('appealBy');
export const caseUpdateUpdate = defineUpdate<{ key: string }, [CaseUpdateRequest]>('caseUpdate');
