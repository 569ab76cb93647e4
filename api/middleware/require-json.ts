import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../errors/problem';

/** 415 for a write whose body is not JSON, before any validator sees it. */
export function requireJson(): MiddlewareHandler {
  return async function requireJsonBody(c, next) {
    const method = c.req.method;
    if (
      (method === 'POST' || method === 'PATCH' || method === 'PUT') &&
      c.req.header('content-length') !== '0'
    ) {
      const type = c.req.header('content-type') ?? '';
      const hasBody =
        c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
      if (hasBody && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
        throw new ProblemError(415, 'Unsupported media type', 'Send the body as application/json');
      }
    }
    await next();
  };
}
