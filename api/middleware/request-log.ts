import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../../core/logger';
import type { AppEnv } from '../context';

/**
 * The registered pattern of the endpoint that matched (`/a/:token`, never the URL with its token),
 * or null when no endpoint did. Middleware (`app.use`) registers as ALL and is skipped.
 */
export function routeTemplate(c: Context): string | null {
  return matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? null;
}

/** Options factory: one JSON line per request; no URL, query, body or header value ever. */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
      const line = {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: routeTemplate(c),
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(c.req.header('authorization') !== undefined ? { authorization: '[redacted]' } : {}),
        ...(principal ? { orgId: principal.orgId, tokenId: principal.tokenId, role: principal.role } : {}),
      };
      logAccess(log, line);
    }
  };
}

/** The access line of one request (any server): info, warn for a 5xx. */
export function logAccess(
  log: Logger,
  line: { requestId: string; method: string; route: string | null; status: number; durationMs: number },
): void {
  // Unexpected errors are logged with their stack by the error handler; this is the access line.
  if (line.status >= 500) log.warn(line, 'request');
  else log.info(line, 'request');
}
