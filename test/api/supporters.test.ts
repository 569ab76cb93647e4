import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, createToken } from '../../db/tenants';
import { countingApp } from '../support/counting-app';
import { expectRefusal } from '../support/problem';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

const sophea = {
  name: 'Sophea Chan',
  phone: '(978) 555-0100',
  email: 'Sophea@Example.org',
  locale: 'km',
  timezone: 'America/New_York',
  tags: ['lowell'],
  consent: { sms: true, email: true },
};

describe('supporters: happy paths', () => {
  it('creates a supporter with the phone in E.164, then updates the same one by phone', async () => {
    const created = await svc.api('/v1/supporters', { body: sophea });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ phone: '+19785550100', email: 'sophea@example.org', locale: 'km' });

    const again = await svc.api('/v1/supporters', {
      body: { phone: '+1 978 555 0100', tags: ['boston'], locale: 'en' },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(again.body.tags.sort()).toEqual(['boston', 'lowell']);

    const read = await svc.api(`/v1/supporters/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.locale).toBe('en');
  });

  it('erases contact details everywhere on DELETE', async () => {
    const created = await svc.api('/v1/supporters', {
      body: { ...sophea, phone: '+1 617 555 0199', email: 'erase@example.org' },
    });
    const del = await svc.api(`/v1/supporters/${created.body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const [row] =
      await svc.sql`select name, phone, email, erased_at from supporters where id = ${created.body.id}`;
    expect(row).toMatchObject({ name: null, phone: null, email: null });
    expect(row!.erased_at).not.toBeNull();
  });
});

describe('supporters: bad input', () => {
  it('names each bad field in a problem+json body', async () => {
    const res = await fetch(`${svc.apiUrl}/v1/supporters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: 'not a phone', locale: 'fr', timezone: 'Mars/Olympus' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors: Array<{ path: string }> };
    const paths = body.errors.map((e) => e.path).sort();
    expect(paths, JSON.stringify(body)).toEqual(['locale', 'timezone']);
  });

  it('rejects a phone number that cannot be normalised', async () => {
    const res = await svc.api('/v1/supporters', { body: { phone: '12' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('phone');
  });

  it('requires a phone or an email', async () => {
    const res = await svc.api('/v1/supporters', { body: { name: 'Nobody' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('phone');
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await fetch(`${svc.apiUrl}/v1/supporters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
  });
});

describe('supporters: security', () => {
  it('refuses a missing or unknown token', async () => {
    expect((await svc.api('/v1/supporters', { body: sophea, token: 'nope' })).status).toBe(401);
    const res = await fetch(`${svc.apiUrl}/v1/supporters/00000000-0000-0000-0000-000000000000`);
    expect(res.status).toBe(401);
  });

  it("hides another organization's supporter behind 404", async () => {
    const created = await svc.api('/v1/supporters', {
      body: { ...sophea, phone: '+1 508 555 0111', email: 'x@example.org' },
    });
    const otherOrg = await createOrganization(svc.sql, { name: 'other' });
    const { token } = await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' });
    expect((await svc.api(`/v1/supporters/${created.body.id}`, { token })).status).toBe(404);
    expect((await svc.api(`/v1/supporters/${created.body.id}`, { token, method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('keeps a partner token off organizer routes', async () => {
    const { token } = await createToken(svc.sql, { orgId: svc.orgId, role: 'partner' });
    expect((await svc.api('/v1/supporters', { body: sophea, token })).status).toBe(403);
  });
});

describe('supporters: conflicts', () => {
  it('answers 409, and changes nothing, when the phone is one supporter and the email another', async () => {
    const a = await svc.api('/v1/supporters', {
      body: { phone: '+1 978 555 0131', email: 'a.conflict@example.org' },
    });
    const b = await svc.api('/v1/supporters', {
      body: { phone: '+1 978 555 0132', email: 'b.conflict@example.org' },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    const clash = await svc.api('/v1/supporters', {
      body: { phone: '+1 978 555 0131', email: 'b.conflict@example.org' },
    });
    expectRefusal(clash, 409, 'supporter-conflict');
    expect((await svc.api(`/v1/supporters/${a.body.id}`)).body.email).toBe('a.conflict@example.org');
  });
});

describe('supporters: search', () => {
  it('finds by name, email or phone digits and tag, only within the organization, a page at a time', async () => {
    for (const [i, name] of ['Sokun Search', 'Sokha Search', 'Vanna Other'].entries()) {
      const res = await svc.api('/v1/supporters', {
        body: {
          name,
          phone: `+1 978 555 014${i}`,
          email: `finder${i}@example.org`,
          tags: i < 2 ? ['searchable'] : [],
        },
      });
      expect(res.status).toBe(201);
    }
    const byName = await svc.api('/v1/supporters?q=search');
    expect(byName.body.items.map((s: { name: string }) => s.name).sort()).toEqual([
      'Sokha Search',
      'Sokun Search',
    ]);
    expect(
      (await svc.api('/v1/supporters?q=9785550142')).body.items.map((s: { name: string }) => s.name),
    ).toEqual(['Vanna Other']);
    expect((await svc.api('/v1/supporters?tag=searchable')).body.items).toHaveLength(2);
    // Address-shaped terms: the local part's end, then the domain's start (any case).
    const emailsOf = async (q: string) =>
      (await svc.api(`/v1/supporters?${new URLSearchParams({ q })}`)).body.items
        .map((s: { email: string }) => s.email)
        .sort();
    expect(await emailsOf('finder1@example.org')).toEqual(['finder1@example.org']);
    expect(await emailsOf('DER2@Exam')).toEqual(['finder2@example.org']);
    expect(await emailsOf('r0@')).toEqual(['finder0@example.org']);
    expect(await emailsOf('finder@example.org'), 'the local part must end with the term').toEqual([]);
    expect(await emailsOf('finder1@example.orgs')).toEqual([]);
    expect(await emailsOf('@example.org')).toEqual(
      expect.arrayContaining(['finder0@example.org', 'finder1@example.org', 'finder2@example.org']),
    );
    const first = await svc.api('/v1/supporters?q=search&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await svc.api(`/v1/supporters?q=search&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const otherOrg = await createOrganization(svc.sql, { name: 'search-other' });
    const { token } = await createToken(svc.sql, { orgId: otherOrg, role: 'organizer' });
    expect((await svc.api('/v1/supporters?q=search', { token })).body.items).toEqual([]);
    expect((await svc.api('/v1/supporters?cursor=garbage')).status).toBe(400);
  });
});

describe('supporters: round trips', () => {
  it('reads the token once for a search, though two registrations match its path', async () => {
    const org = await createOrganization(svc.sql, { name: 'search-round-trips' });
    const { token } = await createToken(svc.sql, { orgId: org, role: 'organizer' });
    const partner = await createToken(svc.sql, { orgId: org, role: 'partner' });
    const counting = countingApp(svc);
    try {
      counting.reset();
      const res = await counting.app.request('/v1/supporters?q=sokha', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const ours = counting.ours();
      expect(ours, 'the token, then the search').toHaveLength(2);
      expect(ours[0]).toContain('api_tokens');
      expect(ours[1]).toContain('supporters');
      // Each registration still checks its roles: a partner token is refused as before.
      const refused = await counting.app.request('/v1/supporters?q=sokha', {
        headers: { authorization: `Bearer ${partner.token}` },
      });
      expect(refused.status).toBe(403);
    } finally {
      await counting.end();
    }
  });
});
