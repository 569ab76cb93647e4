import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken, revokeToken } from '../../db/tenants';
import { mobilePhone, randomEmail, uniqueTag } from '../support/generators';
import { expectRefusal } from '../support/problem';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// biome-ignore lint/suspicious/noExplicitAny: answers and documents are read as plain JSON
type Json = any;

let svc: Service;
let otherToken: string;
const tag = uniqueTag('matrix');
const mine = { supporters: [] as string[], campaign: '', workflowId: '' };
const theirs = { supporter: '', campaign: '' };
// Fictional 555-01xx numbers in an area code no other test uses: valid for libphonenumber.
const phone = mobilePhone();
const email = randomEmail();

/** A campaign whose only stage is a month away: nothing is sent while the test runs. */
const quietCampaign = (title: string) => ({
  kind: 'custom',
  title,
  audience: { tags: { include: [tag] } },
  content: { en: { sms: 'Hello {{firstName}}, more soon.' } },
  stages: [{ key: 'later', at: { after: 'P30D' }, channel: 'sms' }],
  options: { quietHours: false },
});

beforeAll(async () => {
  svc = await startService({ roles: ['orchestrator'] });
  const otherOrg = await createOrganization(svc.sql, { name: `matrix other ${tag}` });
  otherToken = (await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' })).token;

  for (const body of [
    { name: 'Sophea Mine', phone, email, tags: [tag], consent: { sms: true, email: true } },
    { name: 'Dara Mine', phone: mobilePhone(), tags: [tag], consent: { sms: true, email: false } },
  ]) {
    const res = await svc.api('/v1/supporters', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    mine.supporters.push(res.body.id);
  }
  const created = await svc.api('/v1/campaigns', { body: quietCampaign('Mine') });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  mine.campaign = created.body.id;
  mine.workflowId = created.body.workflowId;

  const theirSupporter = await svc.api('/v1/supporters', {
    token: otherToken,
    body: { name: 'Chenda Theirs', phone: mobilePhone(), tags: [tag], consent: { sms: true, email: false } },
  });
  expect(theirSupporter.status, JSON.stringify(theirSupporter.body)).toBe(201);
  theirs.supporter = theirSupporter.body.id;
  const theirCampaign = await svc.api('/v1/campaigns', { token: otherToken, body: quietCampaign('Theirs') });
  expect(theirCampaign.status, JSON.stringify(theirCampaign.body)).toBe(201);
  theirs.campaign = theirCampaign.body.id;
});
afterAll(async () => {
  await svc?.stop();
});

const supporterRow = async (id: string) =>
  (
    await svc.sql`select name, phone, email, tags, locale, sms_consent, erased_at, updated_at
      from supporters where id = ${id}`
  )[0];
const campaignRow = async (id: string) =>
  (await svc.sql`select status, definition, title from campaigns where id = ${id}`)[0];

/** Signals and Updates the workflow has received: a refused call must add none. */
async function messagesReceived(workflowId: string): Promise<number> {
  const history = await svc.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter(
    (e) =>
      e.workflowExecutionSignaledEventAttributes ||
      e.workflowExecutionUpdateAcceptedEventAttributes ||
      e.workflowExecutionUpdateAdmittedEventAttributes,
  ).length;
}

describe("another organization's token", () => {
  it("gets 404 on every route that names this organization's supporter or campaign, and changes nothing", async () => {
    const supporterBefore = await supporterRow(mine.supporters[0]!);
    const campaignBefore = await campaignRow(mine.campaign);
    const messagesBefore = await messagesReceived(mine.workflowId);
    const s = mine.supporters[0]!;
    const c = mine.campaign;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/supporters/${s}`],
      ['DELETE', `/v1/supporters/${s}`],
      ['GET', `/v1/campaigns/${c}`],
      ['POST', `/v1/campaigns/${c}/pause`],
      ['POST', `/v1/campaigns/${c}/resume`],
      ['POST', `/v1/campaigns/${c}/cancel`],
      ['PATCH', `/v1/campaigns/${c}/stages/later`, { at: '2031-01-01T09:00:00Z' }],
      [
        'POST',
        `/v1/campaigns/${c}/case-updates`,
        { content: { en: { sms: 'Released!' } }, audience: 'all', resolution: 'released' },
      ],
    ];
    for (const [method, path, body] of attempts) {
      expectRefusal(
        await svc.api(path, { method, body, token: otherToken }),
        404,
        'not-found',
        `${method} ${path}`,
      );
    }

    expect(await supporterRow(s)).toEqual(supporterBefore);
    const campaignAfter = await campaignRow(c);
    expect(campaignAfter!.definition).toEqual(campaignBefore!.definition);
    expect(['scheduled', 'running']).toContain(campaignAfter!.status);
    expect(await messagesReceived(mine.workflowId), 'no signal or update reached the workflow').toBe(
      messagesBefore,
    );
    const audited =
      await svc.sql`select action from audit_log where target in (${`supporter:${s}`}, ${`campaign:${c}`})
      and org_id <> ${svc.orgId}`;
    expect(audited).toHaveLength(0);

    // The same calls with the owner's token do reach the campaign: the 404s above were about tenancy.
    expect((await svc.api(`/v1/supporters/${s}`)).status).toBe(200);
    expect((await svc.api(`/v1/campaigns/${c}/pause`, { method: 'POST' })).status).toBe(202);
    // A signal that arrives during a workflow task is written to history when the task completes.
    await eventually(
      () => messagesReceived(mine.workflowId),
      (n) => n === messagesBefore + 1,
      'the pause signal in the history',
    );
    await eventually(
      () => campaignRow(c),
      (row) => row?.status === 'paused',
      'the campaign to pause',
    );
    expect((await svc.api(`/v1/campaigns/${c}/resume`, { method: 'POST' })).status).toBe(202);
    await eventually(
      () => campaignRow(c),
      (row) => row?.status !== 'paused',
      'the campaign to resume',
    );
  });

  it('creates its own supporter for a phone and email this organization already has, leaving ours alone', async () => {
    const before = await supporterRow(mine.supporters[0]!);
    const res = await svc.api('/v1/supporters', {
      token: otherToken,
      body: { name: 'Impostor', phone, email, tags: ['elsewhere'], locale: 'en' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).not.toBe(mine.supporters[0]);
    expect(await supporterRow(mine.supporters[0]!)).toEqual(before);
  });

  it('previews only its own supporters', async () => {
    const theirs = await svc.api('/v1/campaigns/preview', {
      token: otherToken,
      body: quietCampaign('Preview'),
    });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
    // Theirs: Chenda only (the impostor of the previous test carries another tag).
    expect(theirs.body.audience.total).toBe(1);
    const ours = await svc.api('/v1/campaigns/preview', { body: quietCampaign('Preview') });
    expect(ours.body.audience.total).toBe(2);
  });

  it('lists only its own campaigns', async () => {
    const listed = await svc.api('/v1/campaigns?limit=100', { token: otherToken });
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(theirs.campaign);
    expect(ids).not.toContain(mine.campaign);
    const ours = (await svc.api('/v1/campaigns?limit=100')).body.items.map((i: { id: string }) => i.id);
    expect(ours).toContain(mine.campaign);
    expect(ours).not.toContain(theirs.campaign);
  });
});

describe('tokens that may not use organizer routes', () => {
  let secured: Array<{ method: string; path: string }>;
  beforeAll(async () => {
    const doc = (await (await svc.app.request('/openapi.json')).json()) as Json;
    secured = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.entries(item)
        // Bearer routes only: partner webhooks carry their own secrets (OSDI-API-Token, signatures).
        .filter(([, op]) => ((op as Json).security ?? []).some((r: Json) => 'bearerAuth' in r))
        .map(([method]) => ({
          method: method.toUpperCase(),
          path: path.replace('{id}', mine.campaign).replace(/\{\w+\}/g, 'later'),
        })),
    );
    expect(secured.length).toBeGreaterThan(10);
  });

  const refusedEverywhere = async (token: string | undefined, status: number, what: string) => {
    for (const { method, path } of secured) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      const res = await svc.app.request(path, { method, headers });
      const body = await res.text();
      expect(res.status, `${what}: ${method} ${path}: ${body}`).toBe(status);
      expect(res.headers.get('content-type'), `${method} ${path}`).toContain('application/problem+json');
    }
  };

  it('refuses a partner token of the same organization with 403 on every organizer route', async () => {
    const { token } = await createToken(svc.sql, { orgId: svc.orgId, role: 'partner' });
    await refusedEverywhere(token, 403, 'partner');
  });

  it('refuses revoked, expired, unknown and missing tokens with 401', async () => {
    const revoked = await createToken(svc.sql, { orgId: svc.orgId, role: 'organizer' });
    expect((await svc.api(`/v1/campaigns/${mine.campaign}`, { token: revoked.token })).status).toBe(200);
    expect(await revokeToken(svc.sql, revoked.id)).toBe(true);
    await refusedEverywhere(revoked.token, 401, 'revoked');

    const expired = await createToken(svc.sql, {
      orgId: svc.orgId,
      role: 'organizer',
      expiresAt: new Date(Date.now() - 1000),
    });
    await refusedEverywhere(expired.token, 401, 'expired');
    await refusedEverywhere(`ua_org_${randomBytes(24).toString('base64url')}`, 401, 'unknown');
    await refusedEverywhere(undefined, 401, 'missing');

    const [row] = await svc.sql`select status from campaigns where id = ${mine.campaign}`;
    expect(['scheduled', 'running']).toContain(row!.status);
  });
});
