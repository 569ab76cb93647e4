import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/client';
import { findToken, type Role } from '../../db/tenants';
import type { AppEnv, ConsoleBindings, Principal } from '../context';
import { forbidden, unauthorized } from '../errors/problem';
import { isOwner, mayAccess } from './access';

export function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1];
}

/**
 * Options factory: authenticates the caller (a bearer token, or the console's signed-in person handed
 * over in the app's own bindings) and admits it by role (api/access.ts): 401 without credentials,
 * 403 when the role may not make this request.
 */
export function requireRole(sql: Sql, roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const fromConsole = (c.env as ConsoleBindings | undefined)?.consolePrincipal;
    // A path can match two registrations ('/v1/supporters' and '/v1/supporters/*' both match the
    // search): the token read by the first is not read again; each still checks its roles.
    let principal: Principal | undefined = fromConsole ?? c.get('principal');
    if (!principal) {
      const token = bearer(c.req.header('authorization'));
      if (!token) throw unauthorized();
      principal = await findToken(sql, token);
      if (!principal) throw unauthorized();
    }
    if (!mayAccess(principal.role, roles, c.req.method, c.req.path)) throw forbidden();
    c.set('principal', principal);
    await next();
  };
}

/** Inside a route admitted by requireRole: 403 unless the caller is an owner (or an admin token). */
export function assertOwner(role: Role) {
  if (!isOwner(role)) throw forbidden();
}
