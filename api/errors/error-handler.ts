import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../../core/logger';
import { SupporterConflict } from '../../db/supporters';
import type { AppEnv } from '../context';
import { isDependencyUnavailable } from './dependency-errors';
import { ProblemError, problemBody } from './problem';

const PROBLEM = 'application/problem+json';

export function problemJson(c: Context, status: number, body: ReturnType<typeof problemBody>) {
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, { 'content-type': PROBLEM });
}

/**
 * Three tiers: our ProblemError, Hono's HTTPException, and anything else (logged, answered without
 * internals). A dependency that is down (PostgreSQL or Temporal restarting) is a 503 with Retry-After.
 */
export function createErrorHandler(log: Logger) {
  return function onError(err: Error, c: Context<AppEnv>) {
    if (err instanceof ProblemError) {
      return problemJson(c, err.status, problemBody(err.status, err.title, err.detail, err.errors));
    }
    if (err instanceof SupporterConflict) {
      return problemJson(c, 409, problemBody(409, 'Conflict', err.message));
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const title =
        status === 413 ? 'Payload too large' : status === 415 ? 'Unsupported media type' : 'Request error';
      return problemJson(c, status, problemBody(status, title, err.message || undefined));
    }
    const requestId = c.get('requestId');
    if (isDependencyUnavailable(err)) {
      log.warn({ err: { name: err.name, message: err.message }, requestId }, 'dependency unavailable');
      c.header('retry-after', '5');
      return problemJson(
        c,
        503,
        problemBody(503, 'Service unavailable', 'A dependency is restarting; retry in a few seconds.'),
      );
    }
    log.error(
      { err: { name: err.name, message: err.message, stack: err.stack }, requestId },
      'unhandled error',
    );
    return problemJson(
      c,
      500,
      problemBody(
        500,
        'Internal error',
        `Something went wrong; quote request id ${requestId} when reporting it.`,
      ),
    );
  };
}
