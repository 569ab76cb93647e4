import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StagePlan } from '../../domain/campaign-workflow';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { appealByUpdate, statusQuery } from '../../workflows/messages';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { createFakeWorld, type FakeWorld } from './support/fake-activities';
import { bundle, withWorkers } from './support/harness';
import { at, caseAlertPlan } from './support/plans';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
});
afterAll(async () => {
  await env?.teardown();
});

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(stages: StagePlan[], appealBy?: string, kind = 'case_alert') {
  const campaignId = randomUUID();
  return env.client.workflow.start(campaignWorkflow, {
    taskQueue: TASK_QUEUES.orchestrator,
    workflowId: `campaign-${campaignId}`,
    args: [
      {
        campaignId,
        orgId: 'org-1',
        kind,
        title: 'Free the prisoner',
        stages,
        ...(appealBy ? { appealBy } : {}),
      },
    ],
  });
}

const sentTo = (world: FakeWorld, key: string) => world.sent.get(key) ?? [];

describe('appeal-by date', () => {
  it('skips the follow-up and the escalation after the appeal closes, and the campaign ends completed', async () => {
    const world = createFakeWorld({ supporters: 5 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(caseAlertPlan(launch), at(launch, 2));
      await until(() => sentTo(world, 'alert').length === 5, 'the alert');
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.has('follow-up')).toBe(false);
      expect(world.runs.has('escalation')).toBe(false);
      expect(world.skipped.sort()).toEqual(['escalation', 'follow-up']);
      const status = await handle.query(statusQuery);
      expect(status.stages.map((s) => [s.key, s.status])).toEqual([
        ['alert', 'done'],
        ['follow-up', 'skipped'],
        ['escalation', 'skipped'],
      ]);
    });
  });

  it('an organizer extends the appeal: the follow-up goes out, and a date in the past is refused', async () => {
    const world = createFakeWorld({ supporters: 4 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(caseAlertPlan(launch).slice(0, 2), at(launch, 2));
      await until(() => sentTo(world, 'alert').length === 4, 'the alert');
      await expect(
        handle.executeUpdate(appealByUpdate, { args: [{ appealBy: at(launch, -1) }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const moved = await handle.executeUpdate(appealByUpdate, { args: [{ appealBy: at(launch, 10) }] });
      expect(moved.appealBy).toBe(at(launch, 10));
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(sentTo(world, 'follow-up')).toHaveLength(4);
      expect(world.skipped).toEqual([]);
      await expect(
        handle.executeUpdate(appealByUpdate, { args: [{ appealBy: at(launch, 20) }] }),
      ).rejects.toBeDefined();
    });
  });
});

describe('target has not responded', () => {
  const plan = (launch: number): StagePlan[] => [
    { key: 'week-1', kind: 'stage', scheduledAt: at(launch, 0), audience: { select: 'all' }, channel: 'sms' },
    {
      key: 'escalation',
      kind: 'stage',
      scheduledAt: at(launch, 7),
      audience: { select: 'all' },
      channel: 'sms',
      onlyIfTargetsPending: ['Senator A', 'Senator B'],
    },
  ];

  it('skips the escalation when every named target has replied', async () => {
    const world = createFakeWorld({ supporters: 3, responded: ['Senator A', 'Senator B'] });
    await withWorkers(env, workflowBundle, world, async () => {
      const handle = await start(plan(await env.currentTimeMs()), undefined, 'sanctions_lobbying');
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.has('escalation')).toBe(false);
      expect(world.skipped).toEqual(['escalation']);
    });
  });

  it('sends the escalation while one target has not replied', async () => {
    const world = createFakeWorld({ supporters: 3, responded: ['Senator A'] });
    await withWorkers(env, workflowBundle, world, async () => {
      const handle = await start(plan(await env.currentTimeMs()), undefined, 'sanctions_lobbying');
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(sentTo(world, 'escalation')).toHaveLength(3);
    });
  });
});
