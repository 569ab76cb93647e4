import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inviteMember } from '../../api/services/invitations';
import { currentTotp } from '../../api/services/totp';
import { type Device, launchChromium, newDevice } from '../support/passkey-browser';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Organizers are people: the dev owner's invitation, passkeys, roles, removal and the passkey policy,
// in headless Chromium with virtual authenticators, against the API and the provider sandbox.

let svc: Service;
let browser: Browser;
let base = '';
const tag = randomBytes(4).toString('hex');
const ownerEmail = `owner-${tag}@example.org`;
const organizerEmail = `organizer-${tag}@example.org`;
const viewerEmail = `viewer-${tag}@example.org`;
let owner: Device;
let organizer: Device;
let viewer: Device;
let ownerInviteUrl = '';
let replayBody = '';

beforeAll(async () => {
  // Passkeys need a host name (WebAuthn refuses IP addresses as RP ids): localhost is a secure context.
  const port = inject('apiPort');
  base = `http://localhost:${port}`;
  svc = await startService({ env: { PUBLIC_BASE_URL: base }, roles: [] });
  browser = await launchChromium();
  ownerInviteUrl = (
    await inviteMember(svc.sql, { orgId: svc.orgId, email: ownerEmail, role: 'owner', publicBaseUrl: base })
  ).url;
});

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** Accepts an invitation on this device: email, name, language, then the passkey. */
async function accept(device: Device, url: string, email: string, name: string) {
  await device.page.goto(url);
  await device.page.locator('#f-email').fill(email);
  await device.page.locator('#f-name').fill(name);
  await device.page.locator('#create-passkey').click();
  await device.page.waitForURL(/\/console\/campaigns\?welcome=1$/, { timeout: 10_000 }).catch(async (err) => {
    throw new Error(`${err.message}: ${await device.page.locator('#passkey-status').textContent()}`);
  });
}

async function signInWithPasskey(device: Device) {
  await device.page.goto(`${base}/console/login`);
  await device.page.locator('#passkey-signin').click();
  await device.page.waitForURL(/\/console\/campaigns$/);
}

async function signOut(device: Device) {
  await device.page.locator('form[action="/console/logout"] button').click();
  await device.page.waitForURL(/\/console\/login\?signedout=1$/);
}

/** The invitation link from the email the sandbox received for `to`. */
async function invitationLink(to: string): Promise<string> {
  const [mail] = await eventually(
    () => sandboxClient(svc.sandboxUrl).messages({ channel: 'email', to }),
    (items) => items.length > 0,
    `invitation email to ${to}`,
  );
  const link = /http:\/\/localhost:\d+\/console\/invite\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
  expect(link, mail?.text).toBeTruthy();
  return link!;
}

describe('people, passkeys and roles in the console', () => {
  it("opens the owner's invitation, registers a passkey, signs out and back in with it", async () => {
    owner = await newDevice(browser);
    await accept(owner, ownerInviteUrl, ownerEmail, 'Sophea Owner');
    const cookie = (await owner.context.cookies()).find((c) => c.name === 'console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await signOut(owner);
    // The cookie of the ended session no longer opens a page.
    const stale = await fetch(`${base}/console/campaigns`, {
      headers: { cookie: `console_session=${cookie!.value}` },
      redirect: 'manual',
    });
    expect(stale.status).toBe(303);
    owner.page.on('request', (req) => {
      if (req.url().endsWith('/console/login/passkey/verify')) replayBody = req.postData() ?? '';
    });
    await signInWithPasskey(owner);
    expect(await owner.page.locator('h1').first().textContent()).toContain('Campaigns');
    // The same link again: used, nothing created.
    const again = await fetch(ownerInviteUrl);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
  });

  it('refuses a replayed passkey response and a tampered invitation link', async () => {
    expect(replayBody).not.toBe('');
    const replay = await owner.context.request.post(`${base}/console/login/passkey/verify`, {
      headers: { 'content-type': 'application/json', origin: base },
      data: replayBody,
    });
    expect(replay.status(), await replay.text()).toBe(401);
    const tampered = await fetch(`${ownerInviteUrl.slice(0, -3)}xyz`);
    expect(tampered.status).toBe(404);
    expect(await tampered.text()).toContain('not valid');
  });

  it('invites an organizer and a viewer by email; each registers a passkey and sees what the role allows', async () => {
    await owner.page.goto(`${base}/console/members`);
    for (const [email, role] of [
      [organizerEmail, 'organizer'],
      [viewerEmail, 'viewer'],
    ] as const) {
      await owner.page.locator('#f-invite-email').fill(email);
      await owner.page.locator('#f-invite-role').selectOption(role);
      await owner.page.locator('#invite button[type=submit]').click();
      await owner.page.waitForLoadState();
      expect(await owner.page.locator('[role=status]').first().textContent()).toContain('Invitation sent');
    }
    // Inviting a member again: 409.
    const dup = await svc.api('/v1/members/invitations', {
      body: { email: ownerEmail, role: 'viewer' },
      token: await ownerToken(),
    });
    expect(dup.status, JSON.stringify(dup.body)).toBe(409);

    organizer = await newDevice(browser);
    await accept(organizer, await invitationLink(organizerEmail), organizerEmail, 'Dara Organizer');
    await organizer.page.goto(`${base}/console/campaigns/new`);
    expect(await organizer.page.locator('nav a[href="/console/campaigns/new"]').count()).toBe(1);
    expect(await organizer.page.locator('nav a[href="/console/members"]').count()).toBe(0);
    expect((await organizer.page.goto(`${base}/console/members`))?.status()).toBe(403);

    viewer = await newDevice(browser);
    await accept(viewer, await invitationLink(viewerEmail), viewerEmail, 'Vanna Viewer');
    await viewer.page.goto(`${base}/console/supporters`);
    expect(await viewer.page.locator('nav a[href="/console/campaigns/new"]').count()).toBe(0);
    expect(await viewer.page.locator('form[method=post]:not([action="/console/logout"])').count()).toBe(0);
    // A forged POST with the viewer's own form token: 403, and no supporter appears.
    const csrf = await viewer.page
      .locator('form[action="/console/logout"] input[name=_csrf]')
      .getAttribute('value');
    const before = (await svc.api('/v1/supporters?limit=100')).body.items.length;
    const forged = await viewer.context.request.post(`${base}/console/supporters`, {
      form: { _csrf: csrf ?? '', name: 'Forged', phone: '+19785550100', locale: 'en', timezone: 'UTC' },
      headers: { origin: base },
    });
    expect(forged.status()).toBe(403);
    expect((await svc.api('/v1/supporters?limit=100')).body.items.length).toBe(before);
  });

  it("removes the viewer: the viewer's open page is signed out on its next request", async () => {
    await owner.page.goto(`${base}/console/members`);
    expect(await owner.page.locator(`tr[data-member="${viewerEmail}"]`).textContent()).toContain('1 passkey');
    await owner.page.locator(`tr[data-member="${viewerEmail}"] form[action$="/remove"] button`).click();
    await owner.page.waitForLoadState();
    expect(await owner.page.locator(`tr[data-member="${viewerEmail}"]`).count()).toBe(0);
    await viewer.page.reload();
    expect(new URL(viewer.page.url()).pathname).toBe('/console/login');
  });

  it('with passkeys required, an authenticator code no longer signs in', async () => {
    await owner.page.goto(`${base}/console/account`);
    await owner.page.locator('#totp-start').click();
    await owner.page.waitForLoadState();
    const secret = (await owner.page.locator('#totp-secret').textContent())!.trim();
    await owner.page.locator('#f-totp-code').fill(currentTotp(secret));
    await owner.page.locator('form[action="/console/account/totp/confirm"] button').click();
    await owner.page.waitForLoadState();
    expect(await owner.page.locator('[role=status]').first().textContent()).toContain(
      'Authenticator app set up',
    );

    const codeSignIn = async (code: string) => {
      await signOut(owner);
      await owner.page.locator('#f-email').fill(ownerEmail);
      await owner.page.locator('#f-code').fill(code);
      await owner.page.locator('form[action="/console/login"] button[type=submit]').click();
      await owner.page.waitForLoadState();
    };
    await codeSignIn('000000');
    expect(new URL(owner.page.url()).pathname).toBe('/console/login');
    await owner.page.goto(`${base}/console/login`);
    await owner.page.locator('#f-email').fill(ownerEmail);
    await owner.page.locator('#f-code').fill(currentTotp(secret));
    await owner.page.locator('form[action="/console/login"] button[type=submit]').click();
    await owner.page.waitForURL(/\/console\/campaigns$/);

    await owner.page.goto(`${base}/console/members`);
    await owner.page.locator('#f-require-passkey').check();
    await owner.page.locator('#policy button[type=submit]').click();
    await owner.page.waitForLoadState();
    expect((await svc.api('/v1/organization', { token: await ownerToken() })).body.requirePasskey).toBe(true);

    await codeSignIn(currentTotp(secret));
    expect(new URL(owner.page.url()).pathname).toBe('/console/login');
    expect(await owner.page.locator('[data-error-for="code"]').textContent()).toContain('requires a passkey');
    await signInWithPasskey(owner);
  });

  it('names the person behind each change in the activity page', async () => {
    await owner.page.goto(`${base}/console/activity`);
    const rows = await owner.page.locator('table.activity tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('Sophea Owner (person)') && r.includes('member.remove'))).toBe(true);
  });
});

let cachedOwnerToken = '';
/** An owner-level API token of the test organization (admin), for checks over the API. */
async function ownerToken(): Promise<string> {
  if (!cachedOwnerToken) {
    const { createToken } = await import('../../db/tenants');
    cachedOwnerToken = (await createToken(svc.sql, { orgId: svc.orgId, role: 'admin' })).token;
  }
  return cachedOwnerToken;
}
