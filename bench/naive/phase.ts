import { randomUUID } from 'node:crypto';
import type { BenchStack } from '../bench-stack';
import { CASE_NAME, SMS_CONTENT } from '../content';
import { type ActionTally, addHistory, emptyTally } from '../history-actions';
import { type NodeChild, startNodeChild, untilReady } from '../node-child';
import { sampleRss } from '../proc-memory';
import { sandboxApi, summarizeAccepts } from '../sandbox-api';
import { benchPhone, seedOrganization } from '../seed';
import { waitForAccepted } from '../wait-accepted';
import { waitForPollers } from '../worker-ready';
import { NAIVE_TASK_QUEUE } from './task-queue';
import { naiveSendWorkflow } from './workflows';

export interface NaivePhaseResult {
  recipients: number;
  elapsedS: number;
  sendRate: number;
  firstSendLatencyMs: number | null;
  duplicates: number;
  missing: number;
  failedWorkflows: number;
  actions: ActionTally;
  workerRss: { hwmMb: number | null; sampledPeakMb: number };
}

// Starts in flight from the "API" (this process), and history reads afterwards.
const START_CONCURRENCY = 32;
const READ_CONCURRENCY = 16;
const WARM_UP = 20;

/** The same SMS to `recipients` supporters, one workflow per recipient started by a client loop. */
export async function runNaivePhase(
  b: BenchStack,
  opts: { recipients: number; smsRate: number; log: (line: string) => void },
): Promise<NaivePhaseResult> {
  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const worker = startNodeChild({
    name: 'naive worker',
    entry: 'bench/naive/worker.ts',
    env: b.childEnv({ SMS_RATE_PER_SEC: String(opts.smsRate) }),
    logFile: b.logFile('naive-worker'),
  });
  try {
    const [org, warmOrg] = await Promise.all([
      seedOrganization(b.stack.sql, 'bench naive', opts.recipients),
      seedOrganization(b.stack.sql, 'bench naive warm-up', WARM_UP),
      untilReady(
        worker,
        waitForPollers(b.temporal, worker.pid, [
          { name: NAIVE_TASK_QUEUE, kind: 'workflow' },
          { name: NAIVE_TASK_QUEUE, kind: 'activity' },
        ]),
      ),
    ]);
    // As for the service: the measured run does not pay for the worker's first workflow and send.
    await runNaive(b, worker, warmOrg.orgId, WARM_UP, opts.log);
    await sandbox.reset();
    opts.log(`naive: ${opts.recipients} supporters seeded; starting one workflow each`);
    const rss = sampleRss(worker.pid);
    const run = await runNaive(b, worker, org.orgId, opts.recipients, opts.log);
    const memory = rss.stop();
    const summary = summarizeAccepts(await sandbox.smsMessages(), benchPhone, opts.recipients);
    const last = summary.lastAcceptMs ?? run.launchedAt;
    const elapsedS = (last - run.launchedAt) / 1000;
    return {
      recipients: opts.recipients,
      elapsedS,
      sendRate: elapsedS > 0 ? (opts.recipients - summary.missing) / elapsedS : 0,
      firstSendLatencyMs: summary.firstAcceptMs === null ? null : summary.firstAcceptMs - run.launchedAt,
      duplicates: summary.duplicates,
      missing: summary.missing,
      failedWorkflows: run.failedWorkflows,
      actions: run.actions,
      workerRss: { hwmMb: memory.hwmMb ?? null, sampledPeakMb: memory.sampledPeakMb },
    };
  } finally {
    await worker.stop();
  }
}

/** Starts one workflow per supporter of the organization, waits for every accept, then reads every history. */
async function runNaive(
  b: BenchStack,
  worker: NodeChild,
  orgId: string,
  n: number,
  log: (line: string) => void,
) {
  const stageRunId = await createRun(b, orgId);
  const ids = (
    await b.stack.sql<{ id: string }[]>`select id from supporters where org_id = ${orgId} order by phone`
  ).map((r) => r.id);
  const workflowIds = ids.map((id) => `naive-${stageRunId}-${id}`);
  const launchedAt = Date.now();
  await inParallel(ids, START_CONCURRENCY, (supporterId, i) =>
    b.temporal.workflow.start(naiveSendWorkflow, {
      taskQueue: NAIVE_TASK_QUEUE,
      workflowId: workflowIds[i]!,
      args: [{ stageRunId, supporterId }],
    }),
  );
  if (n > WARM_UP) log(`naive: ${n} workflows started in ${((Date.now() - launchedAt) / 1000).toFixed(1)} s`);
  const sandbox = sandboxApi(b.sandboxUrl);
  await untilReady(worker, waitForAccepted(sandbox, n, { label: 'naive', log, stallMs: 120_000 }));
  const actions = emptyTally();
  let failedWorkflows = 0;
  await inParallel(workflowIds, READ_CONCURRENCY, async (workflowId) => {
    const handle = b.temporal.workflow.getHandle(workflowId);
    await handle.result().catch(() => failedWorkflows++);
    addHistory(actions, await handle.fetchHistory());
  });
  return { launchedAt, actions, failedWorkflows };
}

/** A campaign and stage run row for the naive sends, so their deliveries and callbacks work as the service's. */
async function createRun(b: BenchStack, orgId: string): Promise<string> {
  const sql = b.stack.sql;
  const [campaign] = await sql<{ id: string }[]>`
    insert into campaigns (org_id, kind, title, status, definition, workflow_id)
    values (${orgId}, 'custom', 'bench naive', 'running', ${sql.json({})}, ${`naive-${randomUUID()}`})
    returning id`;
  const content = { content: SMS_CONTENT, action: {}, vars: { caseName: CASE_NAME }, quietHours: false };
  const [run] = await sql<{ id: string }[]>`
    insert into stage_runs (org_id, campaign_id, stage_key, channel, status, started_at, content, snapshot_done)
    values (${orgId}, ${campaign!.id}, 'alert', 'sms', 'running', now(), ${sql.json(content)}, true)
    returning id`;
  return run!.id;
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
