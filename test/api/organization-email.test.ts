import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken } from '../../db/tenants';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

const patch = (body: unknown, token?: string) =>
  svc.api('/v1/organization', { method: 'PATCH', body, ...(token ? { token } : {}) });

describe('email sender settings in PATCH /v1/organization', () => {
  it('stores the sender name, Reply-To, postal address and logo, and clears one with null', async () => {
    const email = {
      senderName: 'បណ្តាញ UA ខ្មែរ',
      replyTo: 'team@ua-network.example',
      postalAddress: 'PO Box 123\r\nLowell, MA 01852',
      logoUrl: 'https://ua-network.example/logo.png',
    };
    const set = await patch({ email });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.email).toEqual({ ...email, postalAddress: 'PO Box 123\nLowell, MA 01852' });
    const cleared = await patch({ email: { logoUrl: null } });
    expect(cleared.body.email).toEqual({
      ...email,
      postalAddress: 'PO Box 123\nLowell, MA 01852',
      logoUrl: null,
    });
    expect((await svc.api('/v1/organization')).body.email.logoUrl).toBeNull();
  });

  it('refuses bad values, naming each field, and changes nothing', async () => {
    const before = (await svc.api('/v1/organization')).body.email;
    const bad = await patch({
      email: {
        senderName: 'Bank <security@bank.example>',
        replyTo: 'not an address',
        postalAddress: 'x'.repeat(301),
        logoUrl: 'javascript:alert(1)',
      },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([
      'email.logoUrl',
      'email.postalAddress',
      'email.replyTo',
      'email.senderName',
    ]);
    expect((await svc.api('/v1/organization')).body.email).toEqual(before);
  });

  it("changes only the caller's organization", async () => {
    const other = await createOrganization(svc.sql, { name: 'Other network' });
    const { token } = await createToken(svc.sql, { orgId: other, role: 'organizer' });
    await patch({ email: { senderName: 'Mine' } });
    expect((await svc.api('/v1/organization', { token })).body.email.senderName).toBeNull();
  });
});
