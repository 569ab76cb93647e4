import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REJECTION } from '../../workflows/validators';
import { ProblemError } from './problem';

const STATUS: Record<string, { status: number; title: string }> = {
  [REJECTION.invalid]: { status: 400, title: 'Invalid input' },
  [REJECTION.started]: { status: 409, title: 'Conflict' },
  [REJECTION.ended]: { status: 409, title: 'Conflict' },
  [REJECTION.unknownStage]: { status: 404, title: 'Not found' },
};

/** A workflow's refusal (validator) or absence becomes the matching problem; anything else is rethrown. */
export function workflowProblem(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError)
    return new ProblemError(409, 'Conflict', 'The campaign is no longer running');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const mapped = STATUS[err.cause.type ?? ''] ?? { status: 400, title: 'Invalid input' };
    return new ProblemError(mapped.status, mapped.title, err.cause.message);
  }
  // Signals and Updates to a closed workflow fail with a "workflow execution already completed" error.
  if (err instanceof Error && /already completed|not found/i.test(err.message)) {
    return new ProblemError(409, 'Conflict', 'The campaign is no longer running');
  }
  return err;
}
