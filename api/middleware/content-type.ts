import type { Context, MiddlewareHandler } from 'hono';
import { unsupportedMediaType } from '../errors/problem';

/** `application/json` or a `+json` type such as `application/merge-patch+json`. */
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** The request's media type without parameters, lower case: `Text/CSV; charset=utf-8` → `text/csv`. */
export const mediaType = (c: Context) =>
  (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Throws 415 `unsupported-media-type` (with `detail`) unless the body's media type is one of
 * `accepted`, or any JSON type for `'json'`.
 */
export function requireMediaType(c: Context, accepted: 'json' | readonly string[], detail: string): void {
  const type = mediaType(c);
  const ok = accepted === 'json' ? JSON_TYPE.test(type) : accepted.includes(type);
  if (!ok) throw unsupportedMediaType(detail);
}

/** 415 for a write whose body is not JSON, before any validator sees it. */
export function requireJson(): MiddlewareHandler {
  return async function requireJsonBody(c, next) {
    const method = c.req.method;
    if (
      (method === 'POST' || method === 'PATCH' || method === 'PUT') &&
      c.req.header('content-length') !== '0'
    ) {
      const hasBody =
        c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
      if (hasBody) requireMediaType(c, 'json', 'Send the body as application/json');
    }
    await next();
  };
}
