import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageResult } from '../../db/page-result';
import { loadRecipientPage } from '../../db/recipient-page';
import { beginSnapshot, countSnapshotAudience, extendSnapshot } from '../../db/stage-snapshot';
import { createOrganization } from '../../db/tenants';
import { audienceRule } from '../../domain/audience-rule';
import { randomEmail } from '../support/generators';
import { type Service, startService } from '../support/service';

// The audience snapshot taken in chunks as pages need it (db/stage-snapshot.ts): the same recipients,
// in the same order, as one statement would have written, each once.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

async function newStageRun(orgId: string): Promise<{ campaignId: string; stageRunId: string }> {
  const [c] = await svc.sql<{ id: string }[]>`
    insert into campaigns (org_id, kind, title, definition, workflow_id)
    values (${orgId}, 'custom', 'snapshot test', '{}'::jsonb, ${`snapshot-test-${crypto.randomUUID()}`})
    returning id`;
  const [r] = await svc.sql<{ id: string }[]>`
    insert into stage_runs (org_id, campaign_id, stage_key, channel, status, started_at)
    values (${orgId}, ${c!.id}, 'alert', 'email', 'running', now()) returning id`;
  return { campaignId: c!.id, stageRunId: r!.id };
}

async function addSupporters(orgId: string, n: number, tags: (i: number) => string[]) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [row] = await svc.sql<{ id: string }[]>`
      insert into supporters (org_id, email, email_consent, tags)
      values (${orgId}, ${randomEmail()}, true, ${tags(i)}) returning id`;
    ids.push(row!.id);
  }
  return ids;
}

describe('a stage audience snapshotted in chunks', () => {
  it('writes the rule’s supporters once each, in id order, and stops when a chunk comes back short', async () => {
    const orgId = svc.orgId;
    const ids = await addSupporters(orgId, 23, (i) => (i % 5 === 0 ? ['press'] : ['network']));
    const wanted = ids.filter((_, i) => i % 5 !== 0).sort();
    const { campaignId, stageRunId } = await newStageRun(orgId);
    const rule = audienceRule({ include: ['network'], exclude: ['press'] }, { select: 'all' });
    const targeted = await svc.sql.begin((tx) =>
      beginSnapshot(tx as never, { stageRunId, orgId, campaignId, rule }),
    );
    expect(targeted).toEqual({ targeted: wanted.length, exact: true });
    // Supporters created after the run started are not in its audience.
    await new Promise((r) => setTimeout(r, 20));
    await addSupporters(orgId, 3, () => ['network']);

    let calls = 0;
    while (await extendSnapshot(svc.sql, stageRunId, 4)) calls++;
    expect(calls).toBe(Math.ceil(wanted.length / 4));
    expect(await extendSnapshot(svc.sql, stageRunId, 4), 'nothing left once done').toBe(false);

    const rows = await svc.sql<{ seq: number; supporter_id: string }[]>`
      select seq, supporter_id from stage_recipients where stage_run_id = ${stageRunId} order by seq`;
    expect(rows.map((r) => r.seq)).toEqual(wanted.map((_, i) => i + 1));
    expect(rows.map((r) => r.supporter_id)).toEqual(wanted);
    const [run] = await svc.sql<{ snapshot_done: boolean; targeted: number }[]>`
      select snapshot_done, targeted from stage_runs where id = ${stageRunId}`;
    expect(run).toEqual({ snapshot_done: true, targeted: wanted.length });
  });

  it('pages through a run whose snapshot was only begun, writing chunks on the way', async () => {
    const orgId = svc.orgId;
    const { campaignId, stageRunId } = await newStageRun(orgId);
    const rule = audienceRule(undefined, { select: 'all' });
    const { targeted } = await svc.sql.begin((tx) =>
      beginSnapshot(tx as never, { stageRunId, orgId, campaignId, rule }),
    );
    const seen: string[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await loadRecipientPage(svc.sql, { stageRunId, channel: 'email', afterSeq, limit: 7 });
      seen.push(...page.map((r) => r.supporterId));
      if (page.length < 7) break;
      afterSeq = page.at(-1)!.seq;
    }
    expect(seen).toHaveLength(targeted);
    expect(new Set(seen).size).toBe(targeted);
    expect(seen).toEqual([...seen].sort());
  });

  it('calls a full page the last when nothing follows it, but not while the snapshot may still grow', async () => {
    const orgId = await createOrganization(svc.sql, { name: `snapshot pages ${crypto.randomUUID()}` });
    const ids = await addSupporters(orgId, 6, () => ['network']);
    const { campaignId, stageRunId } = await newStageRun(orgId);
    const rule = audienceRule(undefined, { select: 'all' });
    await svc.sql.begin((tx) => beginSnapshot(tx as never, { stageRunId, orgId, campaignId, rule }));
    const opts = { stageRunId, channel: 'email' as const, limit: 3 };
    // Begun, no recipient written yet: nothing follows a full page, but the snapshot may still grow.
    const begun = await pageResult(svc.sql, { ...opts, afterSeq: 0, limit: 1 }, [
      { seq: 0, supporterId: ids[0]! },
    ]);
    expect(begun.done).toBe(false);

    const pageOne = await loadRecipientPage(svc.sql, { ...opts, afterSeq: 0 });
    const one = await pageResult(svc.sql, { ...opts, afterSeq: 0 }, pageOne);
    expect(one).toMatchObject({ nextSeq: 3, done: false });
    const pageTwo = await loadRecipientPage(svc.sql, { ...opts, afterSeq: one.nextSeq });
    expect(pageTwo).toHaveLength(3);
    // Full, and the whole audience is written: no empty page after it.
    expect(await pageResult(svc.sql, { ...opts, afterSeq: one.nextSeq }, pageTwo)).toMatchObject({
      nextSeq: 6,
      done: true,
    });
  });

  it('starts a large audience with a lower bound, then counts it exactly: the audience the snapshot writes', async () => {
    const orgId = await createOrganization(svc.sql, { name: `snapshot large ${crypto.randomUUID()}` });
    const ids = await addSupporters(orgId, 17, (i) => (i % 4 === 0 ? ['press'] : ['network']));
    const wanted = ids.filter((_, i) => i % 4 !== 0);
    const { campaignId, stageRunId } = await newStageRun(orgId);
    const rule = audienceRule({ include: ['network'], exclude: ['press'] }, { select: 'all' });
    // Counting stops at the bound: the first page does not wait for a whole count.
    const begun = await svc.sql.begin((tx) =>
      beginSnapshot(tx as never, { stageRunId, orgId, campaignId, rule, exactBelow: 5 }),
    );
    expect(begun).toEqual({ targeted: 5, exact: false });
    expect(await countSnapshotAudience(svc.sql, stageRunId)).toBe(wanted.length);
    const targetedNow = async () =>
      (await svc.sql<{ targeted: number }[]>`select targeted from stage_runs where id = ${stageRunId}`)[0]!
        .targeted;
    expect(await targetedNow()).toBe(wanted.length);
    while (await extendSnapshot(svc.sql, stageRunId, 3));
    const written = await svc.sql<{ supporter_id: string }[]>`
      select supporter_id from stage_recipients where stage_run_id = ${stageRunId} order by seq`;
    expect(written.map((r) => r.supporter_id)).toEqual([...wanted].sort());
    expect(await targetedNow()).toBe(wanted.length);
    expect(
      await countSnapshotAudience(svc.sql, stageRunId),
      'nothing to count once the snapshot is done',
    ).toBe(null);
  });
});
