// Records one history per playbook (with the controls organizers use) into test/histories/*.binpb.
// Run `npm run histories:record -- <name>…` only to add a history (no names: all of them):
// committed histories are the running campaigns' past, and `npm test` replays them against the
// current workflow code. Never re-record an existing one: it would hide a break in replay.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import proto from '@temporalio/proto';
import { toStagePlans } from '../../api/services/campaign-plan';
import { expandDefinition } from '../../domain/playbooks';
import { campaignWorkflow } from '../../workflows/campaign';
import { appealByInstant } from '../../domain/case-sheet';
import { appealByUpdate, caseUpdateUpdate, editStageUpdate, pauseSignal, resumeSignal } from '../../workflows/messages';
import { recordSurvey } from './record-survey';
import { TASK_QUEUES } from '../../domain/task-queues';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { createFakeWorld } from '../workflows/support/fake-activities';
import { bundle, withWorkers } from '../workflows/support/harness';

const DAY = 86_400_000;
const env = await createTimeSkippingEnv();
const workflowBundle = await bundle();
const content = { en: { sms: 'Act now {{actionUrl}}' }, km: { sms: 'សូមចាត់វិធានការ {{actionUrl}}' } };

const only = process.argv.slice(2);

async function record(
  name: string,
  definition: Record<string, unknown> | ((now: number) => Record<string, unknown>),
  steer?: (h: Handle) => Promise<void>,
  world = createFakeWorld({ supporters: 1_200 }),
) {
  if (only.length > 0 && !only.includes(name)) return;
  const now = await env.currentTimeMs();
  const expanded = expandDefinition(typeof definition === 'function' ? definition(now) : definition, {
    now: new Date(now),
  });
  const appealBy = expanded.case?.appealBy ? { appealBy: appealByInstant(expanded.case.appealBy) } : {};
  const campaignId = randomUUID();
  await withWorkers(env, workflowBundle, world, async () => {
    const handle = await env.client.workflow.start(campaignWorkflow, {
      taskQueue: TASK_QUEUES.orchestrator,
      workflowId: `campaign-${campaignId}`,
      args: [
        {
          campaignId,
          orgId: 'org-1',
          kind: expanded.kind,
          title: expanded.title,
          stages: toStagePlans(expanded),
          ...appealBy,
        },
      ],
    });
    await steer?.(handle);
    await handle.result();
    const history = await handle.fetchHistory();
    // Binary protobuf: the JSON helpers trip over two copies of protobufjs in the SDK's dependency tree.
    const bytes = proto.temporal.api.history.v1.History.encode(history).finish();
    await writeFile(new URL(`./${name}.binpb`, import.meta.url), bytes);
    console.log(`${name}: ${history.events?.length} events`);
  });
}

type Handle = Awaited<ReturnType<typeof env.client.workflow.start<typeof campaignWorkflow>>>;

await record(
  'case_alert',
  {
    kind: 'case_alert',
    title: 'Free the prisoner',
    params: { caseName: 'Prisoner', caseNumber: 'UA 1/26' },
    content,
    action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
  },
  async (h) => {
    await h.signal(pauseSignal);
    await h.executeUpdate(editStageUpdate, { args: [{ key: 'follow-up', content: { en: { sms: 'Still time {{actionUrl}}' } } }] });
    await h.signal(resumeSignal);
    await env.sleep('4 days');
    await h.executeUpdate(caseUpdateUpdate, { args: [{ content: { en: { sms: 'Court date set' } }, audience: 'recipients' }] });
    await env.sleep('1 day');
    await h.executeUpdate(caseUpdateUpdate, {
      args: [{ content: { en: { sms: 'Released. Thank you!' } }, audience: 'all', resolution: 'released' }],
    });
  },
);
// A widening that names its audience (patched 'widen-to-named-audience'), then a case update to all.
await record(
  'case_alert.widen-to',
  {
    kind: 'case_alert',
    title: 'Free the prisoner',
    params: { caseName: 'Prisoner', caseNumber: 'UA 2/26', widenTo: { tags: { include: ['partners'] } } },
    audience: { tags: { include: ['lowell'] } },
    content,
    action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
  },
  async (h) => {
    await env.sleep('4 days');
    await h.executeUpdate(caseUpdateUpdate, { args: [{ content: { en: { sms: 'Hearing moved' } }, audience: 'all' }] });
  },
);
await record('election_boycott', {
  kind: 'election_boycott',
  title: 'Boycott',
  params: { electionDate: new Date((await env.currentTimeMs()) + 35 * DAY).toISOString() },
  content,
});
await record('sanctions_lobbying', {
  kind: 'sanctions_lobbying',
  title: 'Sanctions',
  params: { weeks: 8 },
  content: { en: { sms: 'Call {{targets}} {{actionUrl}}' } },
  action: { url: 'https://example.org/call', targets: [{ name: 'Senator' }] },
});
// A case sheet with an appeal-by date (patched 'appeal-by'): extended once, then the escalation is skipped.
let launchedAt = 0;
await record(
  'case_alert.appeal-by',
  (now) => {
    launchedAt = now;
    return {
      kind: 'case_alert',
      title: 'Free the prisoner',
      content,
      case: { uaNumber: 'UA 3/26', persons: [{ name: 'Prisoner' }], appealBy: new Date(now + 2 * DAY).toISOString() },
      action: { targets: [{ name: 'Minister of Justice', email: 'minister@example.org' }] },
    };
  },
  async (h) => {
    await env.sleep('1 day');
    await h.executeUpdate(appealByUpdate, { args: [{ appealBy: new Date(launchedAt + 5 * DAY).toISOString() }] });
    await h.executeUpdate(caseUpdateUpdate, { args: [{ content: { en: { sms: '{{caseRef}} news' } }, audience: 'recipients' }] });
  },
);
// The escalation reads target replies (patched 'targets-pending-replies'): every target answered, so it is skipped.
await record(
  'sanctions_lobbying.replies',
  {
    kind: 'sanctions_lobbying',
    title: 'Sanctions',
    params: { weeks: 2 },
    content: { en: { sms: 'Call {{targets}} {{actionUrl}}' } },
    action: { url: 'https://example.org/call', targets: [{ name: 'Senator' }] },
  },
  undefined,
  createFakeWorld({ supporters: 50, responded: ['Senator'] }),
);
// A monitoring survey's conversations (surveyWorkflow): answers, a branch, a re-ask, a timeout with its
// reminder. `survey_monitoring.pump` is the current code; `survey_monitoring.pre-pump` was recorded with
// `patched('survey-pump')` edited to `false` (the code before the patch; not committed).
for (const name of ['survey_monitoring.pump', 'survey_monitoring.pre-pump'])
  if (only.includes(name)) await recordSurvey(env, workflowBundle, name);
await env.teardown();
