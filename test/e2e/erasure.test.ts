import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

/** Every text and jsonb column of every table, searched for each needle. */
async function tablesContaining(needles: string[]): Promise<string[]> {
  const columns = await svc.sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'jsonb', 'character varying', 'ARRAY')`;
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [row] = await svc.sql<{ n: number }[]>`
        select count(*)::int as n from ${svc.sql(table_name)}
        where ${svc.sql(column_name)}::text ilike ${`%${needle}%`}`;
      if (row!.n > 0) hits.push(`${table_name}.${column_name} holds ${needle}`);
    }
  }
  return hits;
}

describe('supporter erasure', () => {
  it('removes the contact details from every table that held them', async () => {
    const phone = '+19785550188';
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
    await eventually(
      () => svc.api(`/v1/campaigns/${launched.body.id}`),
      (r) => r.body.status === 'completed',
      'completion',
    );
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
