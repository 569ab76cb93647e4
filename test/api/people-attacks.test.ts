import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../db/invitations';
import { addPasskey } from '../../db/passkeys';
import { addMembership, ensurePerson, type MemberRole } from '../../db/people';
import { newRecoveryCodes } from '../../db/recovery-codes';
import { DEFAULT_SESSION_LIMITS, openSession } from '../../db/sessions';
import { createOrganization, createToken } from '../../db/tenants';
import { type Service, startService } from '../support/service';
import { softAuthenticator } from '../support/soft-authenticator';

// Bad input and attacks on people, sign-in and sessions: each refused, nothing created, nothing told.

let svc: Service;
let origin = '';
let rpId = '';
let ip = 0;
/** A distinct client address per test, so the sign-in limit of one never reaches another. */
const fromNewIp = () => ({ incoming: { socket: { remoteAddress: `198.51.100.${++ip}` } } });

beforeAll(async () => {
  svc = await startService({ roles: [] });
  origin = new URL(svc.apiUrl).origin;
  rpId = new URL(svc.apiUrl).hostname;
});
afterAll(async () => {
  await svc?.stop();
});

async function member(role: MemberRole, orgId = svc.orgId) {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.org`;
  const person = await ensurePerson(svc.sql, { email, name: role, locale: 'en' });
  await addMembership(svc.sql, orgId, person.id, role);
  return { ...person, email };
}

async function sessionCookie(personId: string, orgId = svc.orgId) {
  const secret = await openSession(svc.sql, {
    personId,
    orgId,
    method: 'passkey',
    device: 'test',
    limits: DEFAULT_SESSION_LIMITS,
  });
  return `console_session=${secret}`;
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** One passkey sign-in ceremony in-process: options, then the (possibly forged) assertion. */
async function passkeyAttempt(
  build: (challenge: string) => unknown,
  env = fromNewIp(),
): Promise<{
  status: number;
  session: string | undefined;
  body: string;
  sent: unknown;
  challengeCookie: string;
}> {
  const opts = await svc.app.request(
    '/console/login/passkey/options',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    env,
  );
  expect(opts.status).toBe(200);
  const challenge = ((await opts.json()) as { options: { challenge: string } }).options.challenge;
  const challengeCookie = cookieOf(opts, 'console_login-challenge')!;
  const sent = build(challenge);
  const res = await svc.app.request(
    '/console/login/passkey/verify',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: challengeCookie },
      body: JSON.stringify({ response: sent }),
    },
    env,
  );
  return {
    status: res.status,
    session: cookieOf(res, 'console_session'),
    body: await res.text(),
    sent,
    challengeCookie,
  };
}

describe('passkey sign-in refuses forged and replayed assertions', () => {
  it('signs in with a well-formed assertion, and refuses each altered one without a session', async () => {
    const person = await member('organizer');
    const key = softAuthenticator();
    await addPasskey(svc.sql, {
      id: key.id,
      personId: person.id,
      publicKey: key.publicKey,
      counter: 0,
      transports: ['internal'],
      name: 'soft',
    });

    const good = await passkeyAttempt((challenge) => key.assert({ challenge, origin, rpId }));
    expect(good.status, good.body).toBe(200);
    expect(good.session).toBeDefined();

    const cases: Array<[string, (challenge: string) => unknown]> = [
      [
        'wrong challenge',
        () => key.assert({ challenge: randomBytes(32).toString('base64url'), origin, rpId }),
      ],
      ['wrong origin', (challenge) => key.assert({ challenge, origin: 'https://console.example.net', rpId })],
      ['wrong RP id', (challenge) => key.assert({ challenge, origin, rpId: 'evil.example' })],
      [
        'wrong signature',
        (challenge) =>
          key.assert({
            challenge,
            origin,
            rpId,
            key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
          }),
      ],
    ];
    for (const [what, build] of cases) {
      const res = await passkeyAttempt(build);
      expect(res.status, `${what}: ${res.body}`).toBe(401);
      expect(res.session, what).toBeUndefined();
    }

    // The good assertion again, with its own (now used) challenge cookie: replay refused.
    const replay = await svc.app.request(
      '/console/login/passkey/verify',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: good.challengeCookie },
        body: JSON.stringify({ response: good.sent }),
      },
      fromNewIp(),
    );
    expect(replay.status).toBe(401);
    expect(cookieOf(replay, 'console_session')).toBeUndefined();
  });
});

/** The code form as a browser posts it: login CSRF cookie and field, same origin. */
async function codeSignIn(email: string, code: string, env = fromNewIp()) {
  const page = await svc.app.request('/console/login', {}, env);
  const csrf = cookieOf(page, 'console_login')!;
  const res = await svc.app.request(
    '/console/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: csrf },
      body: new URLSearchParams({ _csrf: csrf.split('=')[1]!, email, code }),
    },
    env,
  );
  return { status: res.status, session: cookieOf(res, 'console_session'), text: await res.text(), res };
}

describe('code sign-in', () => {
  it('refuses a wrong code, a reused recovery code and an unknown email with one answer', async () => {
    const person = await member('organizer');
    const [code] = await newRecoveryCodes(svc.sql, person.id);
    const first = await codeSignIn(person.email, code!);
    expect(first.status, first.text).toBe(303);
    expect(first.session).toBeDefined();

    const reused = await codeSignIn(person.email, code!);
    const wrong = await codeSignIn(person.email, '123456');
    const unknown = await codeSignIn(`nobody-${randomBytes(3).toString('hex')}@example.org`, code!);
    for (const r of [reused, wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.session).toBeUndefined();
      expect(r.text).toContain('Sign-in failed: check the email address and the code.');
    }
  });

  it('answers 429 after ten failed sign-ins from one address in a minute', async () => {
    const env = fromNewIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await codeSignIn('someone@example.org', '000000', env)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('invitations', () => {
  it('refuses an email other than the invited one without telling whether it has an account, and creates nothing', async () => {
    const existing = await member('viewer');
    const { secret, id } = await createInvitation(svc.sql, {
      orgId: svc.orgId,
      email: `invitee-${randomBytes(3).toString('hex')}@example.org`,
      role: 'organizer',
      locale: 'km',
    });
    const answers: string[] = [];
    for (const email of [existing.email, 'unknown@example.org']) {
      const res = await svc.app.request(
        `/console/invite/${secret}/options`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, name: 'X', locale: 'en' }),
        },
        fromNewIp(),
      );
      expect(res.status).toBe(403);
      answers.push(((await res.json()) as { detail: string }).detail);
    }
    expect(answers[0]).toBe(answers[1]);
    const [row] = await svc.sql<
      { accepted_at: Date | null }[]
    >`select accepted_at from invitations where id = ${id}`;
    expect(row?.accepted_at).toBeNull();
  });

  it('shows a clear page for an expired link', async () => {
    const { secret, id } = await createInvitation(svc.sql, {
      orgId: svc.orgId,
      email: 'late@example.org',
      role: 'viewer',
      locale: 'en',
    });
    await svc.sql`update invitations set expires_at = now() - interval '1 day' where id = ${id}`;
    const res = await svc.app.request(`/console/invite/${secret}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('has expired');
  });
});

describe('roles and sessions', () => {
  it("signs out a removed member's session on the next request, and a changed role's too", async () => {
    const removed = await member('organizer');
    const cookie = await sessionCookie(removed.id);
    expect((await svc.app.request('/console/campaigns', { headers: { cookie } })).status).toBe(200);
    const del = await svc.api(`/v1/members/${removed.id}`, { method: 'DELETE', token: svc.ownerToken });
    expect(del.status, JSON.stringify(del.body)).toBe(204);
    const after = await svc.app.request('/console/campaigns', { headers: { cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('/console/login');

    const demoted = await member('organizer');
    const cookie2 = await sessionCookie(demoted.id);
    const patch = await svc.api(`/v1/members/${demoted.id}`, {
      method: 'PATCH',
      token: svc.ownerToken,
      body: { role: 'viewer' },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect((await svc.app.request('/console/campaigns', { headers: { cookie: cookie2 } })).status).toBe(303);
  });

  it("never shows another organization's supporter to a member's session (404)", async () => {
    const created = await svc.api('/v1/supporters', {
      body: { name: 'Sokun', email: `s-${randomBytes(3).toString('hex')}@example.org`, locale: 'km' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const otherOrg = await createOrganization(svc.sql, { name: `other ${randomBytes(3).toString('hex')}` });
    const outsider = await member('owner', otherOrg);
    const cookie = await sessionCookie(outsider.id, otherOrg);
    const res = await svc.app.request(`/console/supporters/${created.body.id}`, { headers: { cookie } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('Sokun');
  });

  it('refuses every change by a viewer token (403) and lets a translator change only stage content', async () => {
    const viewer = (await createToken(svc.sql, { orgId: svc.orgId, role: 'viewer' })).token;
    expect((await svc.api('/v1/supporters?limit=1', { token: viewer })).status).toBe(200);
    const post = await svc.api('/v1/supporters', {
      token: viewer,
      body: { name: 'X', email: 'x@example.org' },
    });
    expect(post.status).toBe(403);
    expect((await svc.api('/v1/members', { token: svc.token })).status).toBe(403);
    const translator = (await createToken(svc.sql, { orgId: svc.orgId, role: 'translator' })).token;
    const id = '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11';
    const timing = await svc.api(`/v1/campaigns/${id}/stages/alert`, {
      method: 'PATCH',
      token: translator,
      body: { at: '2030-01-01T00:00:00Z' },
    });
    expect([403, 404]).toContain(timing.status);
    expect((await svc.api(`/v1/campaigns/${id}/pause`, { token: translator, body: {} })).status).toBe(403);
  });

  it('keeps API tokens for owners: created with the secret once, listed without it, revoked', async () => {
    const created = await svc.api('/v1/tokens', {
      token: svc.ownerToken,
      body: { name: 'nightly', role: 'viewer' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.secret).toMatch(/^ua_/);
    expect((await svc.api('/v1/organization', { token: created.body.secret })).status).toBe(200);
    const list = await svc.api('/v1/tokens', { token: svc.ownerToken });
    const listed = list.body.items.find((t: { id: string }) => t.id === created.body.id);
    expect(listed).toMatchObject({ name: 'nightly', role: 'viewer' });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect(
      (await svc.api(`/v1/tokens/${created.body.id}`, { method: 'DELETE', token: svc.ownerToken })).status,
    ).toBe(204);
    expect((await svc.api('/v1/organization', { token: created.body.secret })).status).toBe(401);
  });
});
