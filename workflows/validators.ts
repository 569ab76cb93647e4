import { ApplicationFailure } from '@temporalio/workflow';
import { caseUpdateSchema } from '../domain/campaign-schema';
import { isTerminalCampaignStatus } from '../domain/campaign-status';
import type { CampaignState } from '../domain/campaign-workflow';
import { issuesFromZod } from '../domain/definition-error';
import { REJECTION, type WorkflowRefusalType } from '../domain/refusals';
import { stageEditSchema } from '../domain/stage-schema';
import type { AppealByRequest, CaseUpdateRequest, StageEdit } from './messages';

function reject(type: WorkflowRefusalType, message: string): never {
  throw ApplicationFailure.create({ message, type, nonRetryable: true });
}

function checkShape(result: { success: true } | { success: false; error: import('zod').ZodError }) {
  if (result.success) return;
  reject(
    REJECTION.invalid,
    issuesFromZod(result.error)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; '),
  );
}

const ended = (s: CampaignState) => s.cancelled || isTerminalCampaignStatus(s.status);

/** Runs before the Update is accepted: a rejected edit leaves no trace in history. */
export function validateStageEdit(s: CampaignState, edit: StageEdit, now: Date) {
  if (ended(s)) reject(REJECTION.ended, 'the campaign has ended');
  const stage = s.stages.find((st) => st.plan.key === edit.key && st.plan.kind === 'stage');
  if (!stage) reject(REJECTION.unknownStage, `stage ${edit.key} does not exist`);
  if (stage.status !== 'pending')
    reject(REJECTION.started, `stage ${edit.key} has already started (${stage.status})`);
  checkShape(stageEditSchema.safeParse({ at: edit.at, content: edit.content }));
  if (edit.at !== undefined && Date.parse(edit.at) < now.getTime())
    reject(REJECTION.invalid, 'at: is in the past');
}

/** A later appeal-by date: in the future, on a campaign that has not ended. */
export function validateAppealBy(s: CampaignState, req: AppealByRequest, now: Date) {
  if (ended(s)) reject(REJECTION.ended, 'the campaign has ended');
  if (typeof req?.appealBy !== 'string' || Number.isNaN(Date.parse(req.appealBy)))
    reject(REJECTION.invalid, 'appealBy: must be a date or an RFC 3339 time');
  if (Date.parse(req.appealBy) <= now.getTime()) reject(REJECTION.invalid, 'appealBy: is in the past');
}

export function validateCaseUpdate(s: CampaignState, req: CaseUpdateRequest) {
  if (ended(s)) reject(REJECTION.ended, 'the campaign has ended');
  if (s.resolution) reject(REJECTION.ended, 'the case is already being closed');
  checkShape(caseUpdateSchema.safeParse(req));
}
