import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import {
  cancelSignal,
  caseUpdateUpdate,
  editStageUpdate,
  pauseSignal,
  resumeSignal,
  statusQuery,
} from '../../workflows/messages';
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

function start(launch: number, stages = caseAlertPlan(launch)) {
  const campaignId = randomUUID();
  return env.client.workflow.start(campaignWorkflow, {
    taskQueue: TASK_QUEUES.orchestrator,
    workflowId: `campaign-${campaignId}`,
    args: [{ campaignId, orgId: 'org-1', kind: 'case_alert', title: 'Free the prisoner', stages }],
  });
}

const sentTo = (world: FakeWorld, key: string) => world.sent.get(key) ?? [];

describe('case_alert campaign', () => {
  it('sends the alert at launch and the follow-up at +3 days only to supporters who have not acted', async () => {
    const world = createFakeWorld({ supporters: 10 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 10, 'the alert');
      expect(world.runs.get('alert')!.startedAt - launch).toBeLessThan(60_000);
      for (const s of world.supporters.slice(0, 4)) s.acted = true;

      await env.sleep('2 days');
      expect(world.runs.has('follow-up'), 'follow-up must wait for day 3').toBe(false);
      await env.sleep('1 day');
      await until(
        () => world.runs.has('follow-up') && sentTo(world, 'follow-up').length > 0,
        'the follow-up',
      );
      expect(sentTo(world, 'follow-up')).toEqual(world.supporters.slice(4).map((s) => `sms:${s.id}`));
      expect(world.runs.get('follow-up')!.startedAt - launch).toBeGreaterThanOrEqual(3 * 86_400_000);

      const status = await handle.query(statusQuery);
      expect(status.stages.find((s) => s.key === 'alert')).toMatchObject({
        status: 'done',
        counts: { targeted: 10, sent: 10 },
      });
      expect(status.stages.find((s) => s.key === 'follow-up')).toMatchObject({
        status: 'done',
        counts: { targeted: 6 },
      });
      await handle.signal(cancelSignal);
      expect(await handle.result()).toEqual({ status: 'cancelled' });
    });
  });

  it('escalates when the action rate is under the threshold', async () => {
    const world = createFakeWorld({ supporters: 10 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 10, 'the alert');
      world.supporters[0]!.acted = true; // 10% < 20%
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.has('escalation')).toBe(true);
      expect(sentTo(world, 'escalation')).toHaveLength(9 * 2); // both channels, the nine who have not acted
      expect(world.escalations).toEqual([{ stageKey: 'escalation', step: 'notify_organizers' }]);
    });
  });

  it('widens later stages to exactly the tags the escalation names, and records the rule', async () => {
    const world = createFakeWorld({ supporters: 4 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const partners = { include: ['partners'], exclude: ['press'] };
      const plan = caseAlertPlan(launch);
      plan[1]!.escalation = { ifActionRateBelow: 0.2, step: 'widen_audience', widenTo: partners };
      const handle = await start(launch, plan);
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.get('alert')!.widenedTo).toEqual([]);
      expect(world.runs.get('follow-up')!.widenedTo).toEqual([]);
      expect(world.runs.get('escalation')!.widenedTo).toEqual([partners]);
      expect(world.escalations).toEqual([
        { stageKey: 'follow-up', step: 'widen_audience', widenTo: partners },
        { stageKey: 'escalation', step: 'notify_organizers' },
      ]);
      const status = await handle.query(statusQuery);
      expect(status.escalations[0]).toMatchObject({
        stageKey: 'follow-up',
        ifActionRateBelow: 0.2,
        widenTo: partners,
      });
    });
  });

  it('widens to nobody when a plan from before widenings were named fires widen_audience', async () => {
    const world = createFakeWorld({ supporters: 4 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const plan = caseAlertPlan(launch);
      plan[1]!.escalation = { ifActionRateBelow: 0.2, step: 'widen_audience' };
      const handle = await start(launch, plan);
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.get('escalation')!.widenedTo).toEqual([]);
      expect(world.escalations[0]).toEqual({ stageKey: 'follow-up', step: 'widen_audience' });
    });
  });

  it('does not escalate when the action rate is over the threshold', async () => {
    const world = createFakeWorld({ supporters: 10 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 10, 'the alert');
      for (const s of world.supporters.slice(0, 5)) s.acted = true; // 50%
      expect(await handle.result()).toEqual({ status: 'completed' });
      expect(world.runs.has('escalation')).toBe(false);
      expect(world.escalations).toEqual([]);
      const status = await handle.query(statusQuery);
      expect(status.stages.find((s) => s.key === 'escalation')?.status).toBe('skipped');
    });
  });

  it('sends a case update to the audience it names', async () => {
    const world = createFakeWorld({ supporters: 6 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 6, 'the alert');
      world.supporters[1]!.acted = true;
      world.supporters[4]!.acted = true;
      const { key } = await handle.executeUpdate(caseUpdateUpdate, {
        args: [{ content: { en: { sms: 'Court date moved to Monday' } }, audience: 'acted' }],
      });
      await until(() => world.runs.has(key) && sentTo(world, key).length > 0, 'the case update');
      expect(world.runs.get(key)!.recipients).toEqual(['s1', 's4']);
      await handle.signal(cancelSignal);
      await handle.result();
    });
  });

  it('closes the case on a resolution: pending stages are cancelled and the closing message goes out', async () => {
    const world = createFakeWorld({ supporters: 5 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 5, 'the alert');
      const { key } = await handle.executeUpdate(caseUpdateUpdate, {
        args: [{ content: { en: { sms: 'Released! Thank you.' } }, audience: 'all', resolution: 'released' }],
      });
      expect(await handle.result()).toEqual({ status: 'closed' });
      expect(world.runs.get(key)!.recipients).toHaveLength(5);
      expect(world.runs.has('follow-up')).toBe(false);
      const status = await handle.query(statusQuery);
      expect(status.status).toBe('closed');
      expect(status.stages.filter((s) => s.status === 'cancelled').map((s) => s.key)).toEqual([
        'follow-up',
        'escalation',
      ]);
      expect(world.statuses.at(-1)).toBe('closed');
    });
  });
});

describe('steering a campaign', () => {
  it('holds a stage that falls due during a pause until resume', async () => {
    const world = createFakeWorld({ supporters: 3 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 3, 'the alert');
      await handle.signal(pauseSignal);
      await env.sleep('4 days');
      expect(world.runs.has('follow-up'), 'paused: the follow-up must not start').toBe(false);
      expect((await handle.query(statusQuery)).status).toBe('paused');
      await env.sleep('1 day');
      const resumedAt = await env.currentTimeMs();
      await handle.signal(resumeSignal);
      await until(() => world.runs.has('follow-up'), 'the follow-up after resume');
      expect(world.runs.get('follow-up')!.startedAt).toBeGreaterThanOrEqual(resumedAt - 1000);
      expect(world.statuses).toContain('paused');
      await handle.signal(cancelSignal);
      await handle.result();
    });
  });

  it('stops everything on cancel', async () => {
    const world = createFakeWorld({ supporters: 3 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 3, 'the alert');
      // A cancel while the alert is still between its SMS and email passes would (rightly) cancel it too.
      for (let i = 0; i < 200 && (await handle.query(statusQuery)).stages[0]?.status !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.signal(cancelSignal);
      expect(await handle.result()).toEqual({ status: 'cancelled' });
      await env.sleep('10 days');
      expect([...world.runs.keys()]).toEqual(['alert']);
      const status = await handle.query(statusQuery);
      expect(status.stages.map((s) => s.status)).toEqual(['done', 'cancelled', 'cancelled']);
    });
  });

  it('applies an edit to a future stage and refuses one to a started stage', async () => {
    const world = createFakeWorld({ supporters: 3 });
    await withWorkers(env, workflowBundle, world, async () => {
      const launch = await env.currentTimeMs();
      const handle = await start(launch);
      await until(() => sentTo(world, 'alert').length === 3, 'the alert');
      const moved = at(launch, 1);
      const edited = await handle.executeUpdate(editStageUpdate, {
        args: [{ key: 'follow-up', at: moved, content: { en: { sms: 'Please act today: {{actionUrl}}' } } }],
      });
      expect(edited).toMatchObject({ key: 'follow-up', scheduledAt: moved, status: 'pending' });
      expect(world.edits).toHaveLength(1);

      const refused = handle.executeUpdate(editStageUpdate, {
        args: [{ key: 'alert', content: { en: { sms: 'x' } } }],
      });
      await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(refused.catch((e) => e.cause?.message)).resolves.toMatch(/already started/);
      const badPlaceholder = handle.executeUpdate(editStageUpdate, {
        args: [{ key: 'escalation', content: { km: { sms: '{{password}}' } } }],
      });
      await expect(badPlaceholder.catch((e) => e.cause?.message)).resolves.toMatch(/unknown placeholder/);

      await env.sleep('1 day');
      await until(() => world.runs.has('follow-up'), 'the moved follow-up');
      expect(world.runs.get('follow-up')!.startedAt - launch).toBeLessThan(2 * 86_400_000);
      await handle.signal(cancelSignal);
      await handle.result();

      // A rejected Update leaves no trace in history.
      const history = await handle.fetchHistory();
      const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      expect(accepted).toHaveLength(1);
    });
  });
});
