import type { Role } from '../../db/tenants';

/** Roles that manage members, tokens and the security policy. */
export const OWNER_ROLES: ReadonlySet<Role> = new Set(['owner', 'admin']);
/** Roles that change campaigns and supporters. */
const CHANGER_ROLES: ReadonlySet<Role> = new Set(['owner', 'organizer', 'admin']);
/** Roles that read an organization's campaigns, supporters and settings. */
const READER_ROLES: ReadonlySet<Role> = new Set(['owner', 'organizer', 'admin', 'translator', 'viewer']);

// POSTs that change nothing: a campaign preview.
const READ_ONLY_POST = /^\/v1\/campaigns\/preview$/;
// The one change a translator may make: a stage's content (the route refuses anything else).
const TRANSLATOR_EDIT = /^\/v1\/campaigns\/[^/]+\/stages\/[^/]+$/;

/**
 * Whether `role` may make this request on a route group open to `routeRoles` (the roles that may
 * change things there, e.g. ['organizer', 'admin']). Owners may do what organizers may; viewers and
 * translators read wherever organizers may, and a translator may edit a stage's content.
 */
export function mayAccess(role: Role, routeRoles: readonly Role[], method: string, path: string): boolean {
  if (routeRoles.includes(role))
    return role !== 'translator' && role !== 'viewer' ? true : isRead(method, path);
  const organizerRoute = routeRoles.includes('organizer');
  if (!organizerRoute) return routeRoles.some((r) => OWNER_ROLES.has(r)) && OWNER_ROLES.has(role);
  if (CHANGER_ROLES.has(role)) return true;
  if (!READER_ROLES.has(role)) return false;
  if (isRead(method, path)) return true;
  return role === 'translator' && method === 'PATCH' && TRANSLATOR_EDIT.test(path);
}

const isRead = (method: string, path: string) =>
  method === 'GET' || method === 'HEAD' || (method === 'POST' && READ_ONLY_POST.test(path));

export const isOwner = (role: Role) => OWNER_ROLES.has(role);
