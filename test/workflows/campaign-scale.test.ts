import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StagePlan } from '../../domain/campaign-workflow';
import { PAGE_SIZE, TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { editStageUpdate, statusQuery } from '../../workflows/messages';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { createFakeWorld } from './support/fake-activities';
import { bundle, withWorkers } from './support/harness';
import { at } from './support/plans';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
});
afterAll(async () => {
  await env?.teardown();
});

const twoStages = (launch: number): StagePlan[] => [
  { key: 'alert', kind: 'stage', scheduledAt: at(launch, 0), audience: { select: 'all' }, channel: 'sms' },
  {
    key: 'follow-up',
    kind: 'stage',
    scheduledAt: at(launch, 3),
    audience: { select: 'not_acted' },
    channel: 'sms',
  },
];

// What Temporal bills as actions: workflow starts and continue-as-new, activities scheduled, timers, signals, Updates.
const BILLABLE = [
  'workflowExecutionStartedEventAttributes',
  'activityTaskScheduledEventAttributes',
  'timerStartedEventAttributes',
  'workflowExecutionSignaledEventAttributes',
  'workflowExecutionUpdateAcceptedEventAttributes',
] as const;

describe('campaign at scale', () => {
  it('continues as new mid-stage and keeps counts and a pending edit', async () => {
    const world = createFakeWorld({ supporters: 3_000, pageDelayMs: 150 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const campaignId = randomUUID();
      const handle = await env.client.workflow.start(campaignWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `campaign-${campaignId}`,
        args: [
          {
            campaignId,
            orgId: 'org-1',
            kind: 'custom',
            title: 'Scale',
            stages: twoStages(launch),
            historyLimit: 25,
          },
        ],
      });
      const moved = at(launch, 2);
      await handle.executeUpdate(editStageUpdate, { args: [{ key: 'follow-up', at: moved }] });
      const deadline = Date.now() + 30_000;
      while ((world.sent.get('alert')?.length ?? 0) < 3_000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));

      // The handle from start() is bound to the first run; the latest run is what continued.
      const latest = env.client.workflow.getHandle(handle.workflowId);
      const described = await latest.describe();
      expect(described.runId, 'the run continued as new').not.toBe(handle.firstExecutionRunId);
      const status = await latest.query(statusQuery);
      expect(status.stages[0]).toMatchObject({ key: 'alert', counts: { targeted: 3_000, sent: 3_000 } });
      expect(status.stages[1]).toMatchObject({ key: 'follow-up', scheduledAt: moved, status: 'pending' });
      expect(world.sent.get('alert')).toHaveLength(3_000);
      expect(new Set(world.sent.get('alert')).size, 'no page sent twice across runs').toBe(3_000);

      await env.sleep('2 days');
      const until = Date.now() + 20_000;
      while (!world.runs.has('follow-up') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(world.runs.get('follow-up')!.startedAt - launch).toBeLessThan(3 * 86_400_000);
      expect(await latest.result()).toEqual({ status: 'completed' });
    });
  });

  it('keeps a 100,000-recipient stage within 5 Temporal actions per 1,000 recipients', async () => {
    const recipients = 100_000;
    const world = createFakeWorld({ supporters: recipients });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const campaignId = randomUUID();
      const handle = await env.client.workflow.start(campaignWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `campaign-${campaignId}`,
        args: [
          { campaignId, orgId: 'org-1', kind: 'custom', title: 'Big', stages: twoStages(launch).slice(0, 1) },
        ],
      });
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.sent.get('alert')).toHaveLength(recipients);
      const events = (await handle.fetchHistory()).events ?? [];
      const actions = events.filter((e) => BILLABLE.some((k) => e[k])).length;
      const perThousand = actions / (recipients / 1000);
      expect(perThousand, `${actions} actions, ${events.length} events`).toBeLessThanOrEqual(5);
      // Temporal warns at 10,240 events; a stage's history grows with pages, not recipients.
      expect(events.length).toBeLessThan((recipients / PAGE_SIZE) * 10);
      expect(events.length).toBeLessThan(10_240);
    });
  });
});
