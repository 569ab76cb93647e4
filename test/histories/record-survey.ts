// Records a monitoring survey's conversations workflow (`survey-<campaignId>`) for test/histories/.
// Used by record.ts only: `npm run histories:record -- survey_monitoring.pump` (the current code) or
// `survey_monitoring.pre-pump` (run only with `patched('survey-pump')` edited to `false` in
// workflows/survey.ts, i.e. the code before that patch; never commit that edit).
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { toStagePlans } from '../../api/services/campaign-plan';
import { expandDefinition } from '../../domain/playbooks';
import { surveySchema } from '../../domain/survey-schema';
import { TASK_QUEUES } from '../../domain/task-queues';
import { campaignWorkflow } from '../../workflows/campaign';
import { surveyNudgeSignal, surveyWorkflow } from '../../workflows/survey';
import { createFakeWorld } from '../workflows/support/fake-activities';
import { createFakeSurvey } from '../workflows/support/fake-survey';
import { withWorkers } from '../workflows/support/harness';
import { monitoringSurvey, withSurveyWorker } from '../workflows/support/monitoring-survey';

const survey = monitoringSurvey();

/** Waits (real time: the clock skips only while the client waits) until the fake says so. */
async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 800; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Four respondents on one round: s0 answers all three questions (Latin digit, Khmer digits, a
 * report); s1 says "no" (skips to the report) and then runs out of time (one reminder); s2's reply
 * does not fit and is asked again, then answers; s3 never answers (reminder, then incomplete).
 */
export async function recordSurvey(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  name: string,
): Promise<void> {
  const world = createFakeWorld({ supporters: 4 });
  const fake = createFakeSurvey(world, survey);
  const now = await env.currentTimeMs();
  const expanded = expandDefinition({ kind: 'monitoring', title: 'UPR watch', survey }, { now: new Date(now) });
  const campaignId = randomUUID();
  const sentTo = (s: string) => fake.sent.filter((x) => x.supporterId === s).map((x) => `${x.kind}:${x.questionKey}`);
  await withSurveyWorker(env, fake.activities, () =>
    withWorkers(env, workflowBundle, world, async () => {
      const campaign = await env.client.workflow.start(campaignWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `campaign-${campaignId}`,
        args: [{ campaignId, orgId: 'org-1', kind: 'monitoring', title: 'UPR watch', stages: toStagePlans(expanded) }],
      });
      const conversations = await env.client.workflow.start(surveyWorkflow, {
        taskQueue: TASK_QUEUES.orchestrator,
        workflowId: `survey-${campaignId}`,
        args: [{ campaignId, orgId: 'org-1' }],
      });
      await until('round 1 delivered', () => (world.sent.get('round-1')?.length ?? 0) === 4);
      const say = async (supporter: string, body: string, then: string) => {
        // As the webhook does after writing the reply: wake the survey workflow.
        if (fake.reply(supporter, body, await env.currentTimeMs()) === 'answered')
          await conversations.signal(surveyNudgeSignal);
        await until(`${then} to ${supporter}`, () => sentTo(supporter).includes(then));
      };
      await say('s0', '1', 'question:q2');
      await say('s1', 'no', 'question:q3');
      await say('s2', '🙂', 'reask:q1');
      await say('s0', '១២', 'question:q3');
      await say('s2', 'ទេ', 'question:q3');
      await say('s0', 'Two were released on Monday', 'thanks:q3');
      await say('s2', 'Soldiers at the court', 'thanks:q3');
      // s1 and s3 run out of time: a reminder each, then incomplete; the round ends.
      await env.sleep('3 days');
      const expected = { s0: 'completed', s1: 'incomplete', s2: 'completed', s3: 'incomplete' };
      const got = Object.fromEntries(fake.sessions.map((s) => [s.supporterId, s.state.status]));
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`unexpected sessions ${JSON.stringify(got)}`);
      if (!sentTo('s3').includes('reminder:q1')) throw new Error('s3 was not reminded');
      await campaign.result();
      await conversations.result();
      const history = await conversations.fetchHistory();
      const bytes = proto.temporal.api.history.v1.History.encode(history).finish();
      await writeFile(new URL(`./${name}.binpb`, import.meta.url), bytes);
      console.log(`${name}: ${history.events?.length} events, ${fake.pumps()} pumps, ${fake.ticks()} ticks`);
    }),
  );
}
