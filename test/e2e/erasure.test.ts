import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesContaining as scanTables } from '../support/db-scan';
import { sandboxClient } from '../support/sandbox-client';
import { campaignCompleted, type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

const tablesContaining = (needles: string[]) => scanTables(svc.sql, needles);

describe('supporter erasure', () => {
  it('removes the contact details from every table that held them', async () => {
    // An area code no other test generates numbers in: the check below scans every table of the shared database.
    const phone = '+17745550188';
    const email = 'erase.me@example.org';
    const name = 'Sreyneang Erasable';
    const created = await svc.api('/v1/supporters', {
      body: { name, phone, email, consent: { sms: true, email: true }, tags: ['erasure-test'] },
    });
    expect(created.status).toBe(201);
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'custom',
        title: 'Erasure check',
        audience: { tags: { include: ['erasure-test'] } },
        content: {
          en: {
            sms: 'Hello {{firstName}} {{actionUrl}}',
            subject: 'Hi {{firstName}}',
            body: 'Act {{actionUrl}}',
          },
        },
        stages: [{ key: 'alert', at: { after: 'PT0S' }, channel: 'both' }],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    await campaignCompleted(svc, launched.body.id);
    // A reply stores an inbound message too.
    const reply = await sandboxClient(svc.sandboxUrl).inbound(phone, `thanks, this is ${name}`);
    expect(reply.status).toBe(200);

    const before = await tablesContaining([phone, email, 'Sreyneang']);
    expect(before.length, 'the fixture must put contact details in several places').toBeGreaterThanOrEqual(3);

    expect((await svc.api(`/v1/supporters/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await tablesContaining([phone, email, 'Sreyneang'])).toEqual([]);
    const after = await svc.api(`/v1/supporters/${created.body.id}`);
    expect(after.body).toMatchObject({ erased: true, phone: null, email: null, name: null });
  });
});
