import { randomBytes } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { cookieNames } from '../../api/console/security';
import { addMembership, ensurePerson, type MemberRole } from '../../db/people';
import { DEFAULT_SESSION_LIMITS, openSession } from '../../db/sessions';
import type { Service } from './service';

/**
 * A person with `role` in the service's organization and an open console session in `context`, as if
 * they had signed in with a passkey (the passkey flow itself: test/e2e/people-sign-in.test.ts).
 */
export async function signInAs(
  svc: Service,
  context: BrowserContext,
  role: MemberRole,
  orgId = svc.orgId,
): Promise<{ personId: string; email: string; cookie: string }> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.org`;
  const person = await ensurePerson(svc.sql, { email, name: `Test ${role}`, locale: 'en' });
  await addMembership(svc.sql, orgId, person.id, role);
  const secret = await openSession(svc.sql, {
    personId: person.id,
    orgId,
    method: 'passkey',
    device: 'test',
    limits: DEFAULT_SESSION_LIMITS,
  });
  const names = cookieNames(svc.apiUrl);
  await context.addCookies([
    {
      name: names.session,
      value: secret,
      domain: new URL(svc.apiUrl).hostname,
      path: names.path,
      httpOnly: true,
      sameSite: 'Strict',
      secure: names.secure,
    },
  ]);
  return { personId: person.id, email, cookie: `${names.session}=${secret}` };
}
