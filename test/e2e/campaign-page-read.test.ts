import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_COUNTS_BELOW } from '../../db/campaign-stats-cache';
import { jsonb } from '../../db/client';
import { createToken } from '../../db/tenants';
import { countingApp } from '../support/counting-app';
import { createDelivery, createOrg, createStageRun, createSupporter } from '../support/fixtures';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// GET /v1/campaigns/:id and GET /v1/campaigns read the campaign, its targeted total, its counts cache
// entry and its escalations in one statement (db/campaign-page-read.ts).
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

/** A campaign of `orgId` with one planned stage `alert` and its running stage run targeting `targeted`. */
async function campaignWithRun(orgId: string, targeted: number) {
  const run = await createStageRun(svc.sql, orgId, { channel: 'sms' });
  const stages = [
    { key: 'alert', scheduledAt: '2026-11-30T00:00:00.000Z', audience: { select: 'all' }, channel: 'sms' },
  ];
  await svc.sql`update campaigns set definition = definition || ${svc.sql.json(jsonb({ stages }))}
    where id = ${run.campaignId}`;
  await svc.sql`update stage_runs set targeted = ${targeted} where id = ${run.stageRunId}`;
  // One supporter reached (delivered), one not reached (failed): live counts say sent 1, failed 1.
  for (const status of ['delivered', 'failed']) {
    const supporterId = await createSupporter(svc.sql, orgId);
    await createDelivery(svc.sql, { orgId, stageRunId: run.stageRunId, supporterId, channel: 'sms', status });
  }
  return run;
}

/** Plants a counts cache entry that no live count would give (sent 700, action rate 0.25). */
async function plantCounts(campaignId: string, targeted: number, age: string) {
  const value = {
    runs: [
      {
        stage_key: 'alert',
        kind: 'stage',
        status: 'running',
        scheduled_at: null,
        targeted,
        sent: 700,
        delivered: 650,
        failed: 3,
        deferred: 0,
        excluded: 0,
        acted: 175,
      },
    ],
    rate: { actionRate: 0.25, reached: 700, acted: 175 },
  };
  await svc.sql`
    insert into aggregate_cache (key, value, computed_at, compute_ms)
    values (${`campaign-counts:${campaignId}`}, ${svc.sql.json(value)}, now() - ${age}::interval, 0)
    on conflict (key) do update set value = excluded.value, computed_at = excluded.computed_at`;
}

const detail = (id: string) => svc.api(`/v1/campaigns/${id}`);
const listed = async (id: string) => {
  const { status, body } = await svc.api('/v1/campaigns?limit=100');
  expect(status, JSON.stringify(body)).toBe(200);
  return body.items.find((c: { id: string }) => c.id === id);
};

describe('campaign page and list reads', () => {
  it("serve a large campaign's counts from the cache entry read with it, and refresh a stale one in the background", async () => {
    const targeted = LIVE_COUNTS_BELOW + 5000;
    const { campaignId } = await campaignWithRun(svc.orgId, targeted);
    await plantCounts(campaignId, targeted, '0 seconds');

    const fresh = await detail(campaignId);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect(fresh.body.stages[0].counts).toMatchObject({ targeted, sent: 700, delivered: 650, failed: 3 });
    expect(fresh.body.actionRate).toBe(0.25);
    expect((await listed(campaignId))?.actionRate, 'the list reads the same entry').toBe(0.25);

    await plantCounts(campaignId, targeted, '10 minutes');
    const stale = await detail(campaignId);
    expect(stale.body.stages[0].counts.sent, 'a stale entry is served as it is').toBe(700);
    const refreshed = await eventually(
      () => detail(campaignId),
      (r) => r.body.stages[0].counts.sent === 1,
      'the counts recomputed in the background',
    );
    expect(refreshed.body.stages[0].counts).toMatchObject({ targeted, sent: 1, delivered: 1, failed: 1 });
    expect(refreshed.body.actionRate, 'nobody acted').toBe(0);
    expect((await listed(campaignId))?.actionRate).toBe(0);
  });

  it('compute and store the entry on the first read of a large campaign', async () => {
    const targeted = LIVE_COUNTS_BELOW;
    const { campaignId } = await campaignWithRun(svc.orgId, targeted);
    const first = await detail(campaignId);
    expect(first.body.stages[0].counts).toMatchObject({ targeted, sent: 1, failed: 1 });
    const [entry] = await svc.sql<{ value: { runs: { sent: number }[] } }[]>`
      select value from aggregate_cache where key = ${`campaign-counts:${campaignId}`}`;
    expect(entry?.value.runs[0]?.sent).toBe(1);
  });

  it('count a small campaign live, whatever the cache holds', async () => {
    const targeted = LIVE_COUNTS_BELOW - 1;
    const { campaignId } = await campaignWithRun(svc.orgId, targeted);
    await plantCounts(campaignId, targeted, '0 seconds');
    const { body } = await detail(campaignId);
    expect(body.stages[0].counts).toMatchObject({ targeted, sent: 1, delivered: 1, failed: 1 });
    expect(body.actionRate).toBe(0);
    expect((await listed(campaignId))?.actionRate).toBe(0);
  });

  it("show the campaign's own escalations, oldest first, and nothing of another organization", async () => {
    const { campaignId } = await campaignWithRun(svc.orgId, 10);
    const other = await campaignWithRun(svc.orgId, 10);
    const widenTo = { include: ['students'], exclude: ['press'] };
    // As the orchestrator records them (activities/orchestrator.ts recordEscalation), at chosen times.
    const escalation = (step: string, at: string, target: string, detail: Record<string, unknown>) => svc.sql`
      insert into audit_log (org_id, actor_type, actor_id, action, target, detail, created_at)
      values (${svc.orgId}, 'system', 'campaign-workflow', ${`escalation.${step}`}, ${target},
        ${svc.sql.json(jsonb({ actionRate: 0.01, ifActionRateBelow: 0.05, ...detail }))}, ${at}::timestamptz)`;
    await escalation('notify_organizers', '2026-11-30T10:00:00.123Z', `campaign:${campaignId}`, {
      stageKey: 'second',
    });
    await escalation('widen_audience', '2026-11-30T09:00:00.456Z', `campaign:${campaignId}`, {
      stageKey: 'first',
      widenTo,
    });
    await escalation('widen_audience', '2026-11-30T08:00:00Z', `campaign:${other.campaignId}`, {
      stageKey: 'other',
    });

    const { body } = await detail(campaignId);
    expect(body.escalations).toEqual([
      {
        stageKey: 'first',
        step: 'widen_audience',
        actionRate: 0.01,
        ifActionRateBelow: 0.05,
        widenedTo: { tags: widenTo },
        at: '2026-11-30T09:00:00.456Z',
      },
      {
        stageKey: 'second',
        step: 'notify_organizers',
        actionRate: 0.01,
        ifActionRateBelow: 0.05,
        widenedTo: null,
        at: '2026-11-30T10:00:00.123Z',
      },
    ]);

    const strangerOrg = await createOrg(svc.sql);
    const { token } = await createToken(svc.sql, { orgId: strangerOrg, role: 'organizer' });
    const foreign = await svc.api(`/v1/campaigns/${campaignId}`, { token });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(404);
    const strangerList = await svc.api('/v1/campaigns?limit=100', { token });
    expect(strangerList.body.items).toEqual([]);
  });

  it('page the list newest first with a cursor', async () => {
    const org = await createOrg(svc.sql);
    const { token } = await createToken(svc.sql, { orgId: org, role: 'organizer' });
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) ids.push((await campaignWithRun(org, LIVE_COUNTS_BELOW + k)).campaignId);
    const first = await svc.api('/v1/campaigns?limit=2', { token });
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await svc.api(`/v1/campaigns?limit=2&cursor=${first.body.nextCursor}`, { token });
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.items[0].actionRate, 'reached 1, nobody acted').toBe(0);
  });

  it('read a large campaign in one statement after the token check, the page and the list alike', async () => {
    // An organization of its own: a small campaign in the list would be counted live (more statements).
    const org = await createOrg(svc.sql);
    const { token } = await createToken(svc.sql, { orgId: org, role: 'organizer' });
    const targeted = LIVE_COUNTS_BELOW + 1;
    const { campaignId } = await campaignWithRun(org, targeted);
    await plantCounts(campaignId, targeted, '0 seconds');
    const counting = countingApp(svc);
    try {
      const { app } = counting;
      const headers = { authorization: `Bearer ${token}` };
      for (const path of [`/v1/campaigns/${campaignId}`, '/v1/campaigns?limit=100']) {
        counting.reset();
        const res = await app.request(path, { headers });
        expect(res.status, await res.clone().text()).toBe(200);
        const ours = counting.ours();
        expect(ours, `${path}: the token, then the read`).toHaveLength(2);
        expect(ours[0]).toContain('api_tokens');
        expect(ours[1]).toContain('aggregate_cache');
      }
      const page = (await (await app.request(`/v1/campaigns/${campaignId}`, { headers })).json()) as {
        stages: { counts: { sent: number } }[];
      };
      expect(page.stages[0]?.counts.sent, 'served from the entry').toBe(700);
    } finally {
      await counting.end();
    }
  });
});
