import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricsText } from '../../core/metrics';
import { connectDatabase, type Sql } from '../../db/client';
import { recordAccepted } from '../../db/delivery-rows';
import { migrate } from '../../db/migrate';

// A month's deliveries partition is created empty, and its first big stage fills it before
// autovacuum first analyzes it. Looked up by id alone, PostgreSQL planned each accepted batch on such
// a partition as sequential scans of it (no statistics: each id assumed to match 0.5 % of the rows).
// A database of its own, so the partition is new and nothing analyzes it while the test runs.
const dbName = `accepted_${randomBytes(4).toString('hex')}`;
const ROWS = 20_000;
let admin: Sql;
let sql: Sql;
let runId: string;
let partition: string;

beforeAll(async () => {
  admin = await connectDatabase(inject('stackEnv').DATABASE_URL!, { connectTimeoutS: 10 });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(inject('stackEnv').DATABASE_URL!);
  url.pathname = `/${dbName}`;
  // One connection: its own statistics are flushed before each read of them (scans()).
  sql = await connectDatabase(url.toString(), { connectTimeoutS: 10, max: 1 });
  await migrate(sql);
  const [run] = await sql<{ id: string; org_id: string; name: string }[]>`
    with org as (insert into organizations (name) values ('accepted writes') returning id),
    c as (
      insert into campaigns (org_id, kind, title, status, definition, workflow_id)
      select id, 'case_alert', 'Case', 'running', '{}'::jsonb, 'wf-accepted-writes' from org returning id, org_id)
    insert into stage_runs (org_id, campaign_id, stage_key, channel, status, content)
    select org_id, id, 'alert', 'sms', 'running', '{}'::jsonb from c
    returning id, org_id, format('deliveries_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM')) as name`;
  runId = run!.id;
  partition = run!.name;
  await sql.unsafe(`alter table ${partition} set (autovacuum_enabled = false)`);
  await sql`insert into supporters (org_id, name, phone, locale)
    select ${run!.org_id}, 'S ' || i, '+1978' || lpad(i::text, 7, '0'), 'en' from generate_series(1, ${ROWS}) i`;
  await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, attempts, month)
    select s.org_id, r.id, s.id, 'sms', 'sending', md5(s.id::text), 1, r.month
    from supporters s join stage_runs r on r.id = ${runId}`;
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await admin?.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin?.end();
});

/** campaign_messages_total for accepted SMS, as the service reports it. */
async function acceptedCount(): Promise<number> {
  const line = (await metricsText())
    .split('\n')
    .find((l) => l.startsWith('campaign_messages_total{channel="sms",status="accepted"}'));
  return Number(line?.split(' ')[1] ?? 0);
}

/** Sequential scans of the partition so far (this connection's counts flushed first). */
async function scans(): Promise<number> {
  await sql`select pg_stat_force_next_flush()`;
  const [row] = await sql<{ n: string }[]>`
    select seq_scan::text as n from pg_stat_user_tables where relname = ${partition}`;
  return Number(row!.n);
}

describe('accepted sends on a month partition PostgreSQL has no statistics for', () => {
  it('are written by index lookups, each to its own row, and counted once', async () => {
    const [stats] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stats where tablename = ${partition}`;
    expect(stats!.n, 'the partition was never analyzed').toBe(0);
    const rows = await sql<{ id: string }[]>`
      select id::text from deliveries where stage_run_id = ${runId} order by id desc limit 50`;
    const batch = rows.map((r) => ({ deliveryId: r.id, providerId: `SM${r.id.padStart(32, '0')}` }));
    const before = await scans();
    const counted = await acceptedCount();

    await recordAccepted(sql, runId, batch);

    expect(await scans(), 'sequential scans of the partition').toBe(before);
    expect(await acceptedCount()).toBe(counted + 50);
    // The same batch written again (a retried page): no row moves, nothing is counted twice.
    await recordAccepted(sql, runId, batch);
    expect(await acceptedCount()).toBe(counted + 50);
    const counts = await sql<{ status: string; n: number; with_id: number }[]>`
      select status, count(*)::int as n, count(provider_id)::int as with_id
      from deliveries where stage_run_id = ${runId} group by status order by status`;
    expect(counts).toEqual([
      { status: 'accepted', n: 50, with_id: 50 },
      { status: 'sending', n: ROWS - 50, with_id: 0 },
    ]);
  });
});
