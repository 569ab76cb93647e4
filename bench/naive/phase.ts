import { randomUUID } from 'node:crypto';
import type { BenchStack } from '../bench-stack';
import { CASE_NAME, SMS_CONTENT } from '../content';
import { type ActionTally, addHistory, emptyTally } from '../history-actions';
import { startNodeChild, untilReady } from '../node-child';
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
    const [org] = await Promise.all([
      seedOrganization(b.stack.sql, 'bench naive', opts.recipients),
      untilReady(
        worker,
        waitForPollers(b.temporal, worker.pid, [
          { name: NAIVE_TASK_QUEUE, kind: 'workflow' },
          { name: NAIVE_TASK_QUEUE, kind: 'activity' },
        ]),
      ),
    ]);
    const stageRunId = await createRun(b, org.orgId);
    const ids = (
      await b.stack.sql<
        { id: string }[]
      >`select id from supporters where org_id = ${org.orgId} order by phone`
    ).map((r) => r.id);
    opts.log(`naive: ${ids.length} supporters seeded; starting one workflow each`);
    const rss = sampleRss(worker.pid);
    const launchedAt = Date.now();
    const workflowIds = ids.map((id) => `naive-${stageRunId}-${id}`);
    await inParallel(ids, START_CONCURRENCY, (supporterId, i) =>
      b.temporal.workflow
        .start(naiveSendWorkflow, {
          taskQueue: NAIVE_TASK_QUEUE,
          workflowId: workflowIds[i]!,
          args: [{ stageRunId, supporterId }],
        })
        .then(() => undefined),
    );
    opts.log(`naive: ${ids.length} workflows started in ${((Date.now() - launchedAt) / 1000).toFixed(1)} s`);
    await untilReady(
      worker,
      waitForAccepted(sandbox, opts.recipients, { label: 'naive', log: opts.log, stallMs: 120_000 }),
    );
    const actions = emptyTally();
    let failedWorkflows = 0;
    await inParallel(workflowIds, READ_CONCURRENCY, async (workflowId) => {
      const handle = b.temporal.workflow.getHandle(workflowId);
      await handle.result().catch(() => failedWorkflows++);
      addHistory(actions, await handle.fetchHistory());
    });
    const memory = rss.stop();
    const summary = summarizeAccepts(await sandbox.smsMessages(), benchPhone, opts.recipients);
    const last = summary.lastAcceptMs ?? launchedAt;
    const elapsedS = (last - launchedAt) / 1000;
    return {
      recipients: opts.recipients,
      elapsedS,
      sendRate: elapsedS > 0 ? (opts.recipients - summary.missing) / elapsedS : 0,
      firstSendLatencyMs: summary.firstAcceptMs === null ? null : summary.firstAcceptMs - launchedAt,
      duplicates: summary.duplicates,
      missing: summary.missing,
      failedWorkflows,
      actions,
      workerRss: { hwmMb: memory.hwmMb ?? null, sampledPeakMb: memory.sampledPeakMb },
    };
  } finally {
    await worker.stop();
  }
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
