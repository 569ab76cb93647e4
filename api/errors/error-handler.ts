import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../../core/logger';
import { SupporterConflict } from '../../db/supporters';
import type { AppEnv } from '../context';
import { isDependencyUnavailable } from './dependency-errors';
import { type ProblemBody, ProblemError, problemBody, problemResponse } from './problem';
import { kindOfStatus } from './problem-types';

/**
 * Three tiers: our ProblemError, Hono's HTTPException, and anything else (logged, answered without
 * internals). A dependency that is down (PostgreSQL or Temporal restarting) is a 503 with Retry-After.
 */
export function createErrorHandler(log: Logger) {
  return function onError(err: Error, c: Context<AppEnv>) {
    if (err instanceof ProblemError) {
      return problemResponse(c, problemBody(err.code, err.detail, err.errors));
    }
    if (err instanceof SupporterConflict) {
      return problemResponse(c, problemBody('supporter-conflict', err.message));
    }
    if (err instanceof HTTPException) {
      return problemResponse(
        c,
        problemBody(kindOfStatus(err.status), err.message || undefined, undefined, err.status),
      );
    }
    const failure = unexpectedFailure(err, log, c.get('requestId'));
    if (failure.retryAfter) c.header('retry-after', failure.retryAfter);
    return problemResponse(c, failure.body);
  };
}

/**
 * The answer to an error that is not a refusal, logged: a dependency that is down (PostgreSQL or
 * Temporal restarting) is a 503 with Retry-After (seconds); anything else a 500 that names the request
 * id and shows no internals.
 */
export function unexpectedFailure(
  err: Error,
  log: Logger,
  requestId: string,
): { body: ProblemBody; retryAfter?: string } {
  if (isDependencyUnavailable(err)) {
    log.warn({ err: { name: err.name, message: err.message }, requestId }, 'dependency unavailable');
    return {
      body: problemBody('dependency-unavailable', 'A dependency is restarting; retry in a few seconds.'),
      retryAfter: '5',
    };
  }
  log.error(
    { err: { name: err.name, message: err.message, stack: err.stack }, requestId },
    'unhandled error',
  );
  return {
    body: problemBody(
      'internal-error',
      `Something went wrong; quote request id ${requestId} when reporting it.`,
    ),
  };
}
