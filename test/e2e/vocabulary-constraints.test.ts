import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTOR_TYPES } from '../../domain/actor';
import { CAMPAIGN_STATUSES, STAGE_STATUSES } from '../../domain/campaign-status';
import { DELIVERY_CHANNELS } from '../../domain/channels';
import { DELIVERY_STATUSES } from '../../domain/delivery-status';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

/** The quoted words of a column's `check (col in (...))` constraint, as PostgreSQL stores it. */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const rows = await svc.sql<{ def: string }[]>`
    select pg_get_constraintdef(c.oid) as def from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    where t.relname = ${table} and c.contype = 'c' and pg_get_constraintdef(c.oid) like ${`%${column}%`}`;
  const def = rows.map((r) => r.def).find((d) => new RegExp(`\\(?${column}\\b`).test(d));
  expect(def, `${table}.${column} has a check constraint`).toBeDefined();
  return [...(def ?? '').matchAll(/'([^']+)'::text/g)].map((m) => m[1] ?? '').sort();
}

describe('vocabulary: the database admits exactly what domain/ defines', () => {
  it.each([
    ['campaigns', 'status', CAMPAIGN_STATUSES],
    ['stage_runs', 'status', STAGE_STATUSES],
    ['deliveries', 'status', DELIVERY_STATUSES],
    ['deliveries', 'channel', DELIVERY_CHANNELS],
    ['audit_log', 'actor_type', ACTOR_TYPES],
  ] as const)('%s.%s', async (table, column, words) => {
    expect(await allowedValues(table, column)).toEqual([...words].sort());
  });

  it('refuses a status outside the vocabulary', async () => {
    const [org] = await svc.sql<
      { id: string }[]
    >`insert into organizations (name) values ('vocab') returning id`;
    await expect(
      svc.sql`insert into campaigns (org_id, kind, title, definition, workflow_id, status)
        values (${org?.id ?? ''}, 'custom', 't', '{}'::jsonb, ${`vocab-${Date.now()}`}, 'finished')`,
    ).rejects.toThrow(/campaigns_status_check/);
  });
});
