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
export const caseUpdateUpdate = defineUpdate<{ key: string }, [CaseUpdateRequest]>('caseUpdate');
