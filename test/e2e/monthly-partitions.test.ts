import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordDone } from '../../db/action-events';
import { connectDatabase, type Sql } from '../../db/client';
import { recordDeferred } from '../../db/delivery-rows';
import { findDeliveryByProviderId } from '../../db/delivery-status';
import { recordInbound } from '../../db/inbound';
import { findLink } from '../../db/links';
import { migrate } from '../../db/migrate';
import {
  detachMonthPartitions,
  ensureMonthPartitions,
  listMonthPartitions,
  monthStart,
  PartitionError,
} from '../../db/partitions';
import { twilioSid } from '../support/generators';

// Migration 017 on an existing database: a database of its own, built up to 016, filled with rows
// in the old (unpartitioned) shape across two months, then migrated.
const BEFORE_017 = '016_organization_stage_templates';
const OLD_MONTH = '2025-10';
const dbName = `partitions_${randomBytes(4).toString('hex')}`;
const role = `${dbName}_reader`;
const now = new Date();
const thisMonth = monthStart(now).slice(0, 7);

let admin: Sql;
let dbUrl: string;
let sql: Sql;

interface Seeded {
  orgId: string;
  supporterId: string;
  oldCampaign: string;
  oldRun: string;
  newCampaign: string;
  newRun: string;
  deliveries: Array<Record<string, unknown>>;
  actions: Array<Record<string, unknown>>;
  inbound: Array<Record<string, unknown>>;
}
let seeded: Seeded;

async function seedOldSchema(): Promise<Seeded> {
  const [org] = await sql<
    { id: string }[]
  >`insert into organizations (name) values ('partitions') returning id`;
  const orgId = org!.id;
  const [sup] = await sql<{ id: string }[]>`
    insert into supporters (org_id, name, phone, email, locale)
    values (${orgId}, 'Dara', '+19785550101', 'dara@example.org', 'en') returning id`;
  const supporterId = sup!.id;
  const [sup2] = await sql<{ id: string }[]>`
    insert into supporters (org_id, name, phone, locale) values (${orgId}, 'Sok', '+19785550102', 'km') returning id`;
  const campaign = async (createdAt: string) => {
    const [c] = await sql<{ id: string }[]>`
      insert into campaigns (org_id, kind, title, status, definition, workflow_id, created_at)
      values (${orgId}, 'case_alert', 'Case', 'running', '{}'::jsonb, ${`wf-${randomUUID()}`}, ${createdAt})
      returning id`;
    const [r] = await sql<{ id: string }[]>`
      insert into stage_runs (org_id, campaign_id, stage_key, channel, status, content, created_at)
      values (${orgId}, ${c!.id}, 'alert', 'both', 'running',
        ${sql.json({ action: { url: 'https://act.example.org/x' } })}, ${createdAt})
      returning id`;
    return { campaignId: c!.id, runId: r!.id };
  };
  // The old stage run starts on the last evening of October in UTC: its month is October's.
  const old = await campaign('2025-10-31T23:30:00Z');
  const cur = await campaign(now.toISOString());
  const delivery = async (runId: string, supporter: string, channel: string, createdAt: string) => {
    await sql`insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, provider_id, link_token, created_at)
      values (${orgId}, ${runId}, ${supporter}, ${channel}, 'delivered',
        ${channel === 'sms' ? twilioSid() : randomUUID()}, ${randomBytes(24).toString('base64url')}, ${createdAt})`;
  };
  // The old run's deliveries were written in November: the month is the stage run's, not the row's.
  await delivery(old.runId, supporterId, 'sms', '2025-11-01T00:10:00Z');
  await delivery(old.runId, supporterId, 'email', '2025-11-01T00:11:00Z');
  await delivery(old.runId, sup2!.id, 'sms', '2025-11-01T00:12:00Z');
  await delivery(cur.runId, supporterId, 'sms', now.toISOString());
  await sql`insert into action_events (org_id, campaign_id, supporter_id, stage_run_id, kind, source, created_at)
    values (${orgId}, ${old.campaignId}, ${supporterId}, ${old.runId}, 'click', 'link', '2025-11-02T00:00:00Z'),
      (${orgId}, ${old.campaignId}, ${supporterId}, ${old.runId}, 'done', 'link', '2025-11-02T00:01:00Z'),
      (${orgId}, ${cur.campaignId}, ${sup2!.id}, ${cur.runId}, 'click', 'link', ${now})`;
  await sql`insert into inbound_messages (org_id, supporter_id, provider_id, keyword, body, received_at)
    values (${orgId}, ${supporterId}, 'SMold00000000000000000000000000001', 'DONE', 'done', '2025-10-31T23:59:59Z'),
      (${orgId}, ${sup2!.id}, 'SMnew00000000000000000000000000001', 'HELP', null, ${now})`;
  await sql.unsafe(`create role ${role}`);
  await sql.unsafe(`grant select on deliveries, action_events, inbound_messages to ${role}`);
  return {
    orgId,
    supporterId,
    oldCampaign: old.campaignId,
    oldRun: old.runId,
    newCampaign: cur.campaignId,
    newRun: cur.runId,
    deliveries: await sql`select * from deliveries order by id`,
    actions: await sql`select * from action_events order by id`,
    inbound: await sql`select * from inbound_messages order by id`,
  };
}

const withoutMonth = (rows: Array<Record<string, unknown>>) => rows.map(({ month: _m, ...rest }) => rest);

beforeAll(async () => {
  admin = await connectDatabase(inject('stackEnv').DATABASE_URL!, { connectTimeoutS: 10 });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(inject('stackEnv').DATABASE_URL!);
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
  sql = await connectDatabase(dbUrl, { connectTimeoutS: 10 });
  await migrate(sql, { upTo: BEFORE_017 });
  seeded = await seedOldSchema();
  expect(await migrate(sql)).toContain('017_monthly_partitions');
});

afterAll(async () => {
  await sql?.end();
  await admin?.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin?.unsafe(`drop role if exists ${role}`);
  await admin?.end();
});

describe('migration 017 on an existing database', () => {
  it('turns the three tables into tables partitioned by month', async () => {
    const kinds = await sql<{ relname: string; relkind: string }[]>`
      select relname, relkind::text from pg_class
      where relname in ('deliveries', 'action_events', 'inbound_messages') order by relname`;
    expect(kinds.map((k) => k.relkind)).toEqual(['p', 'p', 'p']);
    const parts = await listMonthPartitions(sql);
    for (const parent of ['deliveries', 'action_events', 'inbound_messages']) {
      const months = parts.filter((p) => p.parent === parent).map((p) => p.month);
      expect(months).toContain(OLD_MONTH);
      expect(months).toContain(thisMonth);
      expect(months).toContain(monthStart(now, 3).slice(0, 7));
      expect(months).toContain(null); // DEFAULT
    }
  });

  it('keeps every row with its id, and gives each the month of its key', async () => {
    const deliveries = await sql<Array<Record<string, unknown>>>`select * from deliveries order by id`;
    expect(withoutMonth(deliveries)).toEqual(seeded.deliveries);
    const months = await sql<{ n: number }[]>`
      select count(*)::int as n from deliveries d join stage_runs r on r.id = d.stage_run_id
      where d.month <> r.month`;
    expect(months[0]!.n).toBe(0);
    const oldRows = await sql<{ n: number }[]>`
      select count(*)::int as n from deliveries_y2025m10 where stage_run_id = ${seeded.oldRun}`;
    expect(oldRows[0]!.n).toBe(3);
    expect(withoutMonth(await sql`select * from action_events order by id`)).toEqual(seeded.actions);
    expect(withoutMonth(await sql`select * from inbound_messages order by id`)).toEqual(seeded.inbound);
    const [oldInbound] = await sql<{ month: Date }[]>`
      select month from inbound_messages where provider_id = 'SMold00000000000000000000000000001'`;
    expect(oldInbound!.month.toISOString().slice(0, 7)).toBe(OLD_MONTH);
  });

  it('keeps the sequences: new ids continue after the old ones', async () => {
    const maxOld = Math.max(...seeded.deliveries.map((d) => Number(d.id)));
    await recordDeferred(sql, {
      orgId: seeded.orgId,
      stageRunId: seeded.newRun,
      supporterId: seeded.supporterId,
      channel: 'email',
      token: randomBytes(12).toString('base64url'),
      until: new Date(now.getTime() + 3_600_000),
    });
    const [row] = await sql<{ id: string; month: Date }[]>`
      select id::text, month from deliveries where stage_run_id = ${seeded.newRun} and channel = 'email'`;
    expect(Number(row!.id)).toBeGreaterThan(maxOld);
    expect(row!.month.toISOString().slice(0, 7)).toBe(thisMonth);
  });

  it('keeps the grants, constraints and indexes', async () => {
    const [grants] = await sql<{ d: boolean; a: boolean; i: boolean }[]>`
      select has_table_privilege(${role}, 'deliveries', 'select') as d,
        has_table_privilege(${role}, 'action_events', 'select') as a,
        has_table_privilege(${role}, 'inbound_messages', 'select') as i`;
    expect(grants).toEqual({ d: true, a: true, i: true });
    const indexes = await sql<{ indexname: string }[]>`
      select indexname from pg_indexes
      where tablename in ('deliveries', 'action_events', 'inbound_messages') order by 1`;
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining([
        'deliveries_pkey',
        'deliveries_stage_run_id_supporter_id_channel_key',
        'deliveries_link_token',
        'deliveries_provider',
        'deliveries_deferred',
        'deliveries_supporter_recent',
        'deliveries_created_at',
        'action_events_pkey',
        'action_events_campaign',
        'action_events_done_once',
        'inbound_messages_pkey',
      ]),
    );
    const constraints = await sql<{ conname: string }[]>`
      select conname from pg_constraint
      where conrelid in ('deliveries'::regclass, 'action_events'::regclass, 'inbound_messages'::regclass)
        and contype in ('c', 'f') order by 1`;
    expect(constraints.map((c) => c.conname)).toEqual(
      expect.arrayContaining([
        'deliveries_status_check',
        'deliveries_channel_check',
        'deliveries_org_id_fkey',
        'deliveries_stage_run_id_fkey',
        'deliveries_supporter_id_fkey',
        'action_events_kind_check',
        'action_events_campaign_id_fkey',
        'inbound_messages_org_id_fkey',
      ]),
    );
    await expect(
      sql`update deliveries set status = 'finished' where stage_run_id = ${seeded.oldRun}`,
    ).rejects.toThrow(/deliveries_status_check/);
  });
});

describe('exactly-once after partitioning', () => {
  it('refuses the same (stage run, supporter, channel) twice, the month coming from the stage run', async () => {
    const insert = () => sql`
      insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, month)
      values (${seeded.orgId}, ${seeded.oldRun}, ${seeded.supporterId}, 'sms', 'sending',
        ${randomBytes(12).toString('base64url')}, (select month from stage_runs where id = ${seeded.oldRun}))`;
    await expect(insert()).rejects.toThrow(/duplicate key.*stage_run_id_supporter_id_channel/);
    // A writer cannot pick another month for the same key: the month is not null and the stage run's.
    await expect(sql`
      insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token)
      values (${seeded.orgId}, ${seeded.oldRun}, ${seeded.supporterId}, 'sms', 'sending', 'x')`).rejects.toThrow(
      /month/,
    );
  });

  it('a deferral of an existing key updates the row instead of adding one', async () => {
    const args = {
      orgId: seeded.orgId,
      stageRunId: seeded.oldRun,
      supporterId: seeded.supporterId,
      channel: 'sms' as const,
      token: 'unused',
      until: new Date(),
    };
    await recordDeferred(sql, args);
    const [n] = await sql<{ n: number }[]>`
      select count(*)::int as n from deliveries
      where stage_run_id = ${seeded.oldRun} and supporter_id = ${seeded.supporterId} and channel = 'sms'`;
    expect(n!.n).toBe(1);
  });

  it('records DONE once per campaign, for old and new campaigns', async () => {
    const ref = (campaignId: string, stageRunId: string) => ({
      orgId: seeded.orgId,
      campaignId,
      supporterId: seeded.supporterId,
      stageRunId,
    });
    expect(await recordDone(sql, ref(seeded.oldCampaign, seeded.oldRun), 'sms')).toBe(false);
    expect(await recordDone(sql, ref(seeded.newCampaign, seeded.newRun), 'sms')).toBe(true);
    expect(await recordDone(sql, ref(seeded.newCampaign, seeded.newRun), 'link')).toBe(false);
  });

  it('handles a MessageSid once even when its retry comes in another month', async () => {
    // Received in October 2025 before the migration; the retry arrives now.
    const again = {
      providerId: 'SMold00000000000000000000000000001',
      orgId: seeded.orgId,
      supporterId: seeded.supporterId,
      keyword: 'DONE',
      body: 'done',
    };
    expect(await recordInbound(sql, again)).toBe(false);
    const fresh = { ...again, providerId: twilioSid() };
    expect(await recordInbound(sql, fresh)).toBe(true);
    expect(await recordInbound(sql, fresh)).toBe(false);
    const [n] = await sql<{ n: number }[]>`
      select count(*)::int as n from inbound_messages where provider_id in (${again.providerId}, ${fresh.providerId})`;
    expect(n!.n).toBe(2);
  });
});

describe('lookups by link token and provider id', () => {
  it('finds deliveries of every month by link token and by provider id', async () => {
    for (const d of seeded.deliveries) {
      const link = await findLink(sql, String(d.link_token));
      expect(link?.stageRunId).toBe(d.stage_run_id);
      expect(link?.supporterId).toBe(d.supporter_id);
      const byProvider = await findDeliveryByProviderId(
        sql,
        d.channel as 'sms' | 'email',
        String(d.provider_id),
      );
      expect(byProvider?.id).toBe(String(d.id));
    }
  });

  it('uses the indexes by choice once a month holds thousands of deliveries', async () => {
    await sql`
      with s as (
        insert into supporters (org_id, name) select ${seeded.orgId}, 'bulk ' || g from generate_series(1, 20000) g
        returning id)
      insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, provider_id, link_token, month)
      select ${seeded.orgId}, ${seeded.newRun}, s.id, 'sms', 'delivered', 'SM' || md5(s.id::text),
        md5('t' || s.id::text), (select month from stage_runs where id = ${seeded.newRun})
      from s`;
    await sql`analyze deliveries`;
    const plan = async (query: string) =>
      (await sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${query}`))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const month = `deliveries_y${thisMonth.replace('-', 'm')}`;
    for (const p of [
      await plan(`select id from deliveries where link_token = 'abc'`),
      await plan(
        `select id from deliveries where provider_id = 'SM1' and channel = 'sms' order by id desc limit 1`,
      ),
    ]) {
      expect(p).toMatch(new RegExp(`Index (Only )?Scan.* on ${month}`));
      expect(p).not.toMatch(new RegExp(`Seq Scan on ${month}`));
    }
  });

  it('reads one index per partition, never a whole partition', async () => {
    const plans = await sql.begin(async (tx) => {
      // Tiny test partitions would be read whole by choice; forbid that to see which path exists.
      await tx`set local enable_seqscan = off`;
      const plan = async (query: string) =>
        (await tx.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${query}`))
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      return [
        await plan(`select id from deliveries where link_token = 'abc'`),
        await plan(
          `select id from deliveries where provider_id = 'SM1' and channel = 'sms' order by id desc limit 1`,
        ),
        await plan(`select provider_id from inbound_message_ids where provider_id = 'SM1'`),
      ];
    });
    for (const p of plans) {
      expect(p).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      expect(p).not.toMatch(/Seq Scan/);
    }
  });
});

describe('partitions ahead and detaching', () => {
  it('creates the months ahead once, and moves rows out of DEFAULT into a new month', async () => {
    const future = new Date(Date.UTC(now.getUTCFullYear() + 2, 5, 15));
    const futureMonth = monthStart(future).slice(0, 7);
    // A stage run of a month without a partition: its deliveries land in DEFAULT.
    const [r] = await sql<{ id: string }[]>`
      insert into stage_runs (org_id, campaign_id, stage_key, channel, status, created_at)
      values (${seeded.orgId}, ${seeded.newCampaign}, ${`future-${futureMonth}`}, 'sms', 'running', ${future})
      returning id`;
    await recordDeferred(sql, {
      orgId: seeded.orgId,
      stageRunId: r!.id,
      supporterId: seeded.supporterId,
      channel: 'sms',
      token: randomBytes(12).toString('base64url'),
      until: new Date(),
    });
    const [inDefault] = await sql<{ n: number }[]>`
      select count(*)::int as n from deliveries_default where stage_run_id = ${r!.id}`;
    expect(inDefault!.n).toBe(1);

    const created = await ensureMonthPartitions(sql, { now: future, monthsAhead: 1 });
    const suffix = futureMonth.replace('-', 'm');
    expect(created).toEqual(
      expect.arrayContaining([
        `deliveries_y${suffix}`,
        `action_events_y${suffix}`,
        `inbound_messages_y${suffix}`,
      ]),
    );
    expect(created).toHaveLength(6);
    expect(await ensureMonthPartitions(sql, { now: future, monthsAhead: 1 })).toEqual([]);
    const [moved] = await sql<{ d: number; p: number; all: number }[]>`
      select (select count(*)::int from deliveries_default where stage_run_id = ${r!.id}) as d,
        (select count(*)::int from ${sql(`deliveries_y${suffix}`)} where stage_run_id = ${r!.id}) as p,
        (select count(*)::int from deliveries where stage_run_id = ${r!.id}) as all`;
    expect(moved).toEqual({ d: 0, p: 1, all: 1 });
  });

  it('detaches only old months, keeps their rows in the detached tables', async () => {
    await expect(detachMonthPartitions(sql, { before: '2025-13', now })).rejects.toThrow(PartitionError);
    await expect(detachMonthPartitions(sql, { before: thisMonth, now })).rejects.toThrow(/at most/);

    const oldLink = String(seeded.deliveries[0]!.link_token);
    expect(await findLink(sql, oldLink)).toBeDefined();
    const detached = await detachMonthPartitions(sql, { before: '2025-11', now });
    expect(detached.map((p) => p.name).sort()).toEqual([
      'action_events_y2025m10',
      'deliveries_y2025m10',
      'inbound_messages_y2025m10',
    ]);
    expect(await findLink(sql, oldLink)).toBeUndefined();
    const [kept] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries_y2025m10`;
    expect(kept!.n).toBe(3);
    const months = (await listMonthPartitions(sql)).map((p) => p.month);
    expect(months).not.toContain(OLD_MONTH);
    expect(months).toContain(thisMonth);
    // Current rows are untouched.
    const [cur] = await sql<{ n: number }[]>`
      select count(*)::int as n from deliveries
      where stage_run_id = ${seeded.newRun} and supporter_id = ${seeded.supporterId}`;
    expect(cur!.n).toBe(2);
  });
});

describe('npm run partitions', () => {
  const cli = async (...args: string[]) => {
    try {
      const r = await promisify(execFile)('node_modules/.bin/tsx', ['infra/partitions-cli.ts', ...args], {
        env: { ...process.env, DATABASE_URL: dbUrl },
      });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  it('lists the partitions, creates months ahead, and refuses a recent month with a clear error', async () => {
    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.out).toContain(`deliveries_y${thisMonth.replace('-', 'm')}`);
    expect(list.out).toMatch(/inbound_messages\s+default\s+inbound_messages_default/);
    const ensure = await cli('ensure', '--months', '5');
    expect(ensure.code).toBe(0);
    expect(ensure.out).toContain(`deliveries_y${monthStart(now, 5).slice(0, 7).replace('-', 'm')}`);
    const recent = await cli('detach', '--before', thisMonth);
    expect(recent.code).toBe(1);
    expect(recent.err).toMatch(/^--before: at most \d{4}-\d{2}/);
    const missing = await cli('detach');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^--before: required/);
  });
});
