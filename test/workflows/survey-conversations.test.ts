import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStagePlans } from '../../api/services/campaign-plan';
import { expandDefinition } from '../../domain/playbooks';
import type { Survey } from '../../domain/survey-schema';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { cancelSignal } from '../../workflows/messages';
import { surveyNudgeSignal, surveyWorkflow } from '../../workflows/survey';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { createFakeWorld } from './support/fake-activities';
import { createFakeSurvey } from './support/fake-survey';
import { bundle, withWorkers } from './support/harness';
import { monitoringSurvey, withSurveyWorker } from './support/monitoring-survey';

const DAY = 86_400_000;
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
});
afterAll(async () => {
  await env?.teardown();
});

const survey: Survey = monitoringSurvey({ every: 'P14D', rounds: 2 });

/** Waits (real time, the clock does not skip) until the fake says so. */
async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 400; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runSurvey(
  supporters: number,
  script: (ctx: {
    world: ReturnType<typeof createFakeWorld>;
    fake: ReturnType<typeof createFakeSurvey>;
    say: (supporter: string, body: string) => Promise<string>;
    campaign: { cancel: () => Promise<void> };
  }) => Promise<void>,
) {
  const world = createFakeWorld({ supporters });
  const fake = createFakeSurvey(world, survey);
  const now = await env.currentTimeMs();
  const expanded = expandDefinition(
    { kind: 'monitoring', title: 'UPR watch', survey },
    { now: new Date(now) },
  );
  const campaignId = randomUUID();
  return withSurveyWorker(env, fake.activities, () =>
    withWorkers(env, workflowBundle, world, async () => {
      const campaign = await env.client.workflow.start(campaignWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `campaign-${campaignId}`,
        args: [
          {
            campaignId,
            orgId: 'org-1',
            kind: 'monitoring',
            title: 'UPR watch',
            stages: toStagePlans(expanded),
          },
        ],
      });
      const conversations = await env.client.workflow.start(surveyWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `survey-${campaignId}`,
        args: [{ campaignId, orgId: 'org-1', pollMs: 3_600_000 }],
      });
      await until('round 1 delivered', () => (world.sent.get('round-1')?.length ?? 0) === supporters);
      const say = async (supporter: string, body: string) => {
        const outcome = fake.reply(supporter, body, await env.currentTimeMs());
        // As the webhook does after writing the reply: wake the survey workflow.
        if (outcome === 'answered') await conversations.signal(surveyNudgeSignal);
        return outcome;
      };
      await script({
        world,
        fake,
        say,
        campaign: { cancel: () => campaign.signal(cancelSignal) },
      });
      expect(await conversations.result()).toEqual({ status: 'finished' });
      await campaign.result();
      return { world, fake };
    }),
  );
}

const sentTo = (fake: ReturnType<typeof createFakeSurvey>, s: string, round = 1) =>
  fake.sent.filter((x) => x.supporterId === s && x.round === round).map((x) => `${x.kind}:${x.questionKey}`);

describe('monitoring survey conversations', () => {
  it('follows each answer with the next question, branches, re-asks once, and honours STOP mid-survey', async () => {
    const { fake } = await runSurvey(3, async ({ fake, say }) => {
      await say('s0', '1');
      await until('q2 to s0', () => sentTo(fake, 's0').includes('question:q2'));
      await say('s0', '១២');
      await until('q3 to s0', () => sentTo(fake, 's0').includes('question:q3'));
      await say('s0', 'Two were released on Monday');
      await until('thanks to s0', () => sentTo(fake, 's0').includes('thanks:q3'));
      // "No" skips the count and goes straight to the report.
      await say('s1', 'no');
      await until('q3 to s1', () => sentTo(fake, 's1').includes('question:q3'));
      // A reply that does not fit gets the question again once; STOP then ends the conversation.
      await say('s2', '🙂');
      await until('re-ask to s2', () => sentTo(fake, 's2').includes('reask:q1'));
      expect(await say('s2', '🙂')).toBe('answered');
      expect(await say('s2', 'STOP')).toBe('stopped');
      // Everyone left runs out of time; both rounds go by.
      await env.sleep('30 days');
    });
    expect(sentTo(fake, 's0')).toEqual(['question:q2', 'question:q3', 'thanks:q3']);
    expect(sentTo(fake, 's1')).toEqual(['question:q3', 'reminder:q3']);
    expect(sentTo(fake, 's2')).toEqual(['reask:q1']);
    expect(fake.answers.filter((a) => a.round === 1).map((a) => `${a.supporterId}:${a.questionKey}`)).toEqual(
      ['s0:q1', 's0:q2', 's0:q3', 's1:q1'],
    );
    const round1 = fake.sessions.filter((s) => s.round === 1);
    expect(Object.fromEntries(round1.map((s) => [s.supporterId, s.state.status]))).toEqual({
      s0: 'completed',
      s1: 'incomplete',
      s2: 'stopped',
    });
  }, 300_000);

  it('reminds a silent respondent once after the timeout, then leaves the conversation incomplete', async () => {
    const { fake } = await runSurvey(1, async ({ fake }) => {
      await env.sleep('23 hours');
      expect(sentTo(fake, 's0')).toEqual([]);
      await env.sleep('2 hours');
      await until('reminder', () => sentTo(fake, 's0').length === 1);
      expect(sentTo(fake, 's0')).toEqual(['reminder:q1']);
      const reminder = fake.sent[0]!;
      const session = fake.sessions[0]!;
      // The reminder went out at the end of the first day (the hourly sweep finds the delivery), not later.
      expect(reminder.at - session.state.askedAt).toBeLessThanOrEqual(0);
      await env.sleep('30 days');
    });
    expect(sentTo(fake, 's0')).toEqual(['reminder:q1']);
    expect(fake.sessions.find((s) => s.round === 1)?.state.status).toBe('incomplete');
  }, 300_000);

  it('asks again each round: a new set of answers per round', async () => {
    const { fake, world } = await runSurvey(1, async ({ fake, say, world }) => {
      await say('s0', 'yes');
      await until('q2', () => sentTo(fake, 's0').includes('question:q2'));
      await env.sleep('14 days');
      await until('round 2 delivered', () => (world.sent.get('round-2')?.length ?? 0) === 1);
      // Round 1 had run out of time on q2 (reminder, then incomplete) long before round 2.
      await say('s0', '2');
      await until('round 2 q3', () => sentTo(fake, 's0', 2).includes('question:q3'));
      await env.sleep('10 days');
    });
    expect(world.runs.size).toBe(2);
    expect(fake.answers.map((a) => `${a.round}:${a.questionKey}:${JSON.stringify(a.value)}`)).toEqual([
      '1:q1:{"type":"choice","choice":"yes"}',
      '2:q1:{"type":"choice","choice":"no"}',
    ]);
    expect(fake.sessions.map((s) => `${s.round}:${s.state.status}`)).toEqual([
      '1:incomplete',
      '2:incomplete',
    ]);
    expect(sentTo(fake, 's0', 1)).toEqual(['question:q2', 'reminder:q2']);
  }, 300_000);

  it('ends when the campaign is cancelled and nothing is open', async () => {
    const { fake } = await runSurvey(2, async ({ campaign, say, fake }) => {
      await say('s0', '1');
      await until('q2', () => sentTo(fake, 's0').includes('question:q2'));
      await campaign.cancel();
      await env.sleep('3 days');
    });
    expect(fake.sessions.every((s) => s.state.status !== 'open')).toBe(true);
    // Cancelling closes the conversations at once: no day of hourly sweeps waiting for timeouts.
    expect(fake.ticks()).toBeLessThan(10);
  }, 300_000);
});

void DAY;
