import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStagePlans } from '../../api/services/campaign-plan';
import { expandDefinition } from '../../domain/playbooks';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { createFakeWorld } from './support/fake-activities';
import { bundle, withWorkers } from './support/harness';

const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
});
afterAll(async () => {
  await env?.teardown();
});

async function runToEnd(definition: Record<string, unknown>, supporters = 4) {
  const world = createFakeWorld({ supporters });
  const now = await env.currentTimeMs();
  const expanded = expandDefinition(definition, { now: new Date(now) });
  const campaignId = randomUUID();
  const result = await withWorkers(env, workflowBundle, world, () =>
    env.client.workflow.execute(campaignWorkflow, {
      taskQueue: TASK_QUEUES.orchestrator,
      workflowId: `campaign-${campaignId}`,
      args: [
        {
          campaignId,
          orgId: 'org-1',
          kind: expanded.kind,
          title: expanded.title,
          stages: toStagePlans(expanded),
        },
      ],
    }),
  );
  return { world, expanded, result, now };
}

const content = { en: { sms: 'Act now {{actionUrl}}' }, km: { sms: 'សូមចាត់វិធានការ {{actionUrl}}' } };

describe('election_boycott campaign', () => {
  it('fires each countdown stage at its offset before the election, and nothing after the window', async () => {
    const start = await env.currentTimeMs();
    const election = new Date(start + 40 * DAY).toISOString();
    const { world, expanded, result } = await runToEnd({
      kind: 'election_boycott',
      title: 'Boycott the sham election',
      params: { electionDate: election },
      content,
    });
    expect(result).toEqual({ status: 'completed' });
    const offsets = expanded.stages.map((s) => (Date.parse(s.scheduledAt) - Date.parse(election)) / DAY);
    expect(offsets).toEqual([-30, -14, -7, -1, 0, 2]);
    for (const stage of expanded.stages) {
      const run = world.runs.get(stage.key);
      expect(run, `stage ${stage.key} ran`).toBeDefined();
      // Fired at its time (the test server's clock), not early and not a day late.
      expect(run!.startedAt).toBeGreaterThanOrEqual(Date.parse(stage.scheduledAt));
      expect(run!.startedAt - Date.parse(stage.scheduledAt)).toBeLessThan(60_000);
    }
    const last = Math.max(...[...world.runs.values()].map((r) => r.startedAt));
    expect(last).toBeLessThanOrEqual(Date.parse(expanded.windowEnd!) + 60_000);
    expect(world.runs.size).toBe(6);
  });
});

describe('sanctions_lobbying campaign', () => {
  it('sends eight weekly asks, each naming its own targets', async () => {
    const weeklyTargets = Array.from({ length: 8 }, (_, i) => [
      { name: `Senator ${i + 1}`, title: 'Foreign Relations' },
    ]);
    const { world, expanded, result, now } = await runToEnd({
      kind: 'sanctions_lobbying',
      title: 'Magnitsky sanctions now',
      params: { weeks: 8, weeklyTargets },
      content: { en: { sms: 'This week, call {{targets}}: {{actionUrl}}' } },
      action: { url: 'https://example.org/call', targets: [{ name: 'Default target' }] },
    });
    expect(result).toEqual({ status: 'completed' });
    const weeks = expanded.stages.filter((s) => s.key.startsWith('week-'));
    expect(weeks.map((s) => s.key)).toEqual(Array.from({ length: 8 }, (_, i) => `week-${i + 1}`));
    expect(weeks.map((s) => s.action?.targets?.[0]?.name)).toEqual(weeklyTargets.map((t) => t[0]!.name));
    const fired = weeks.map((s) => world.runs.get(s.key)!.startedAt);
    for (let i = 1; i < fired.length; i++) {
      expect(fired[i]! - fired[i - 1]!, `week ${i + 1} a week after week ${i}`).toBeGreaterThanOrEqual(
        7 * DAY - 60_000,
      );
      expect(fired[i]! - fired[i - 1]!).toBeLessThan(7 * DAY + 60_000);
    }
    expect(fired[0]! - now).toBeLessThan(60_000);
  });
});
