import { isTerminalCampaignStatus } from '../domain/campaign-status';
import type {
  CampaignState,
  CampaignStatusView,
  CampaignWorkflowInput,
  StageState,
} from '../domain/campaign-workflow';

export function stageView(stage: StageState) {
  return {
    key: stage.plan.key,
    scheduledAt: stage.plan.scheduledAt,
    status: stage.status,
    counts: { ...stage.counts },
  };
}

/** The workflow's own view, shaped like GET /v1/campaigns/:id. */
export function statusView(input: CampaignWorkflowInput, s: CampaignState): CampaignStatusView {
  const running = s.stages.find((st) => st.status === 'running');
  const next = s.stages
    .filter((st) => st.status === 'pending')
    .map((st) => st.plan.scheduledAt)
    .sort()[0];
  return {
    id: input.campaignId,
    kind: input.kind,
    title: input.title,
    status: s.paused && !isTerminalCampaignStatus(s.status) ? 'paused' : s.status,
    currentStage: running?.plan.key ?? null,
    nextStageAt: next ?? null,
    actionRate: s.actionRate,
    stages: s.stages.map(stageView),
    escalations: [...s.escalations],
  };
}
