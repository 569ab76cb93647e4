import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/client';
import { findToken, type Role } from '../../db/tenants';
import type { AppEnv } from '../context';
import { forbidden, unauthorized } from '../errors/problem';

export function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1];
}

/** Options factory: authenticates the bearer token and admits only the given roles. */
export function requireRole(sql: Sql, roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const token = bearer(c.req.header('authorization'));
    if (!token) throw unauthorized();
    const principal = await findToken(sql, token);
    if (!principal) throw unauthorized();
    if (!roles.includes(principal.role)) throw forbidden();
    c.set('principal', principal);
    await next();
  };
}
