import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../../../api/errors/problem';
import { workflowProblem } from '../../../../api/errors/workflow-errors';
import { WORKFLOW_REFUSAL_TYPES } from '../../../../domain/refusals';

/** An Update refused by the workflow's validator, as the Temporal client raises it. */
const refused = (type: string, message = 'refused') =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message }));

/** A gRPC error as @grpc/grpc-js raises it: code, details and metadata. */
const grpcError = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

const asProblem = (err: unknown) => {
  const problem = workflowProblem(err);
  expect(problem).toBeInstanceOf(ProblemError);
  return problem as ProblemError;
};

describe('workflowProblem', () => {
  it.each([
    ['InvalidRequest', 400, 'invalid-input'],
    ['StageStarted', 409, 'stage-started'],
    ['CampaignEnded', 409, 'campaign-ended'],
    ['UnknownStage', 404, 'unknown-stage'],
  ])('answers the validator refusal %s with %i %s, keeping its message', (type, status, code) => {
    const problem = asProblem(refused(type, `stage follow-up: ${type}`));
    expect({ status: problem.status, code: problem.code }).toEqual({ status, code });
    expect(problem.detail).toBe(`stage follow-up: ${type}`);
  });

  it('knows every refusal type the validators can throw', () => {
    for (const type of WORKFLOW_REFUSAL_TYPES)
      expect(asProblem(refused(type)).code).not.toBe('internal-error');
    expect(new Set(WORKFLOW_REFUSAL_TYPES.map((t) => asProblem(refused(t)).code)).size).toBe(
      WORKFLOW_REFUSAL_TYPES.length,
    );
  });

  it('answers an Update failure of a type the validators do not name as invalid input, as before', () => {
    expect(asProblem(refused('SomethingElse')).code).toBe('invalid-input');
  });

  it('answers a workflow that is gone with 409 campaign-not-running', () => {
    const cases = [
      new WorkflowNotFoundError('workflow execution already completed', 'campaign-1', undefined),
      grpcError(5, 'workflow execution already completed'),
      new ServiceError('Failed to signal Workflow', { cause: grpcError(5, 'workflow not found') }),
      new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({ type: 'AcceptedUpdateCompletedWorkflow', message: 'completed' }),
      ),
    ];
    for (const err of cases) {
      const problem = asProblem(err);
      expect({ status: problem.status, code: problem.code }, err.message).toEqual({
        status: 409,
        code: 'campaign-not-running',
      });
    }
  });

  it('rethrows anything else unchanged, whatever its message says', () => {
    const unavailable = new ServiceError('Failed to signal Workflow', {
      cause: grpcError(14, 'unavailable'),
    });
    const message = new Error('workflow execution already completed (not found)');
    const update = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      new Error('not an ApplicationFailure'),
    );
    for (const err of [unavailable, message, update]) expect(workflowProblem(err)).toBe(err);
  });
});
