import {
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isWorkflowRefusalType, WORKFLOW_REFUSAL_CODES } from '../../domain/refusals';
import { ProblemError } from './problem';

/** gRPC NOT_FOUND: what the server answers for a workflow that has completed (or never existed). */
const GRPC_NOT_FOUND = 5;
/** The server's failure type for an accepted Update whose workflow completed before it did. */
const UPDATE_OUTLIVED_WORKFLOW = 'AcceptedUpdateCompletedWorkflow';

const notRunning = () => new ProblemError('campaign-not-running', 'The campaign is no longer running');

/** Whether the error says the workflow is gone: a typed not-found from the client or its gRPC cause. */
function workflowGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  if (isGrpcServiceError(err)) return err.code === GRPC_NOT_FOUND;
  if (err instanceof ServiceError) return isGrpcServiceError(err.cause) && err.cause.code === GRPC_NOT_FOUND;
  return false;
}

/**
 * A workflow's refusal or absence as the matching problem, by the Temporal client's error classes
 * (never by message): an Update validator's refusal (`StageStarted` → 409 `stage-started`, …), a
 * workflow that is gone → 409 `campaign-not-running`. Anything else is returned unchanged to rethrow.
 */
export function workflowProblem(err: unknown): unknown {
  if (workflowGone(err)) return notRunning();
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? undefined;
    if (type === UPDATE_OUTLIVED_WORKFLOW) return notRunning();
    // A failure the validators do not name is still the request's fault, as before: invalid input.
    const code = isWorkflowRefusalType(type) ? WORKFLOW_REFUSAL_CODES[type] : 'invalid-input';
    return new ProblemError(code, err.cause.message);
  }
  return err;
}
