import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { TASK_QUEUES } from '../domain/task-queues';
import { withWorkerNodeOptions } from '../workers/node-options';
import { pageStartsPerSecond } from '../workers/send-rates';
import type { BenchStack } from './bench-stack';
import { campaignBody } from './content';
import { cpuBetween, snapshotCpu } from './cpu-usage';
import { type ActionTally, tallyWorkflowChain } from './history-actions';
import { firstSendTimeline, type PageStats, pageStats } from './history-timeline';
import { type NodeChild, startNodeChild, untilReady } from './node-child';
import {
  type PgCounters,
  perMessage,
  pgCounters,
  resetStatements,
  type StatementCost,
  topStatements,
} from './pg-activity';
import { sampleRss } from './proc-memory';
import { type SandboxApi, sandboxApi, summarizeAccepts } from './sandbox-api';
import { benchPhone, seedOrganization } from './seed';
import { waitForAccepted } from './wait-accepted';
import { waitForPollers } from './worker-ready';

const WARM_UP = 20;

export interface CampaignPhaseResult {
  recipients: number;
  seedMs: number;
  /** Launch (POST /v1/campaigns sent) to the last / first provider accept. */
  elapsedS: number;
  firstSendLatencyMs: number | null;
  /** The same, for the small campaign a freshly started worker runs first. */
  firstSendLatencyColdMs: number | null;
  sendRate: number;
  /** Rate between the first and the last accept (start-up latency left out). */
  steadyRate: number;
  duplicates: number;
  missing: number;
  provider429s: number;
  provider5xx: number;
  callbacksDelivered: number;
  callbackFailures: number;
  workflowId: string;
  workflowStatus: string;
  actions: ActionTally;
  workerRss: { hwmMb: number | null; sampledPeakMb: number };
  /** CPU seconds per process group from launch to the workflow's end. */
  cpuS: Record<string, number>;
  /** PostgreSQL work per recipient from launch to the end (all clients: workers, API, this harness). */
  pg: PgCounters;
  /** The statements that took the most PostgreSQL time during the run. */
  pgTop: StatementCost[];
  /** Launch to the first delivery page, event by event (ms after launch). */
  timeline: Array<{ event: string; ms: number }>;
  pages: PageStats;
  loadAvgAtLaunch: number;
}

/**
 * One SMS campaign through the whole service: a fresh organization of `recipients` supporters,
 * workers in a child process configured to `smsRate`, the sandbox limited to `sandboxRate` (or not),
 * launched through the API and timed from the sandbox's accept times.
 */
export async function runCampaignPhase(
  b: BenchStack,
  opts: {
    label: string;
    recipients: number;
    smsRate: number;
    sandboxRate: number | null;
    log: (line: string) => void;
    /** A second delivery worker process (SMS role only) beside the first: they share the queue's rate. */
    secondWorker?: boolean;
  },
): Promise<CampaignPhaseResult> {
  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const startWorkers = (suffix: string, roles: string) =>
    startNodeChild({
      name: `workers${suffix} (${opts.label})`,
      entry: b.workerEntry,
      env: withWorkerNodeOptions(b.childEnv({ SMS_RATE_PER_SEC: String(opts.smsRate), WORKER_ROLES: roles })),
      logFile: b.logFile(`workers${suffix}-${opts.label}`),
      nodeArgs: b.nodeArgs(`workers${suffix}-${opts.label}`),
    });
  const workers = startWorkers('', 'orchestrator,sms,email');
  // More worker processes on the cluster: replicas polling the same task queues.
  const replicas = Array.from({ length: (b.workerProcesses ?? 1) - 1 }, (_, i) =>
    startWorkers(`-${i + 2}`, 'orchestrator,sms,email'),
  );
  // The two-workers phase: a second process polling only the SMS queue, sharing the provider's rate.
  const second = opts.secondWorker ? startWorkers('-sms', 'sms') : undefined;
  try {
    if (second)
      await untilReady(
        second,
        waitForPollers(b.temporal, second.pid, [{ name: TASK_QUEUES.sms, kind: 'activity' }]),
      );
    const [org, warmOrg] = await Promise.all([
      seedOrganization(b.stack.sql, `bench ${opts.label}`, opts.recipients),
      seedOrganization(b.stack.sql, `bench ${opts.label} warm-up`, WARM_UP),
      ...[workers, ...replicas].map((w) =>
        untilReady(
          w,
          waitForPollers(b.temporal, w.pid, [
            { name: TASK_QUEUES.orchestrator, kind: 'workflow' },
            { name: TASK_QUEUES.sms, kind: 'activity' },
          ]),
        ),
      ),
    ]);
    // A running service has run a campaign before: the first one in a fresh worker also pays for
    // loading the workflow bundle into its isolate and the twilio SDK's lazily required modules.
    const warm = await runCampaign(b, workers, warmOrg.token, WARM_UP, `${opts.label} warm-up`, opts.log);
    const coldLatencyMs = summarizeAccepts(await sandbox.smsMessages(), benchPhone, WARM_UP).firstAcceptMs;
    await sandbox.reset();
    if (opts.sandboxRate !== null) {
      await sandbox.limitRate(opts.sandboxRate);
      // The warm-up's page took the delivery queue's token (workers/send-rates.ts pageStartsPerSecond):
      // give it back, as for a campaign launched on an idle service.
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 / pageStartsPerSecond(opts.smsRate))));
    }
    opts.log(`${opts.label}: ${org.recipients} supporters seeded in ${Math.round(org.seedMs)} ms; launching`);
    const rss = sampleRss(workers.pid);
    const groups = b.cpuGroups([
      { name: 'workers', pid: workers.pid },
      ...(second ? [{ name: 'second worker', pid: second.pid }] : []),
      ...replicas.map((w, i) => ({ name: `workers-${i + 2}`, pid: w.pid })),
    ]);
    const cpuBefore = snapshotCpu(groups);
    const pgBefore = await pgCounters(b.stack.sql);
    await resetStatements(b.stack.sql);
    const loadAvgAtLaunch = loadavg()[0] ?? 0;
    const run = await runCampaign(b, workers, org.token, opts.recipients, opts.label, opts.log);
    const memory = rss.stop();
    const cpuS = cpuBetween(cpuBefore, snapshotCpu(groups));
    // Callbacks trail the last accept by a moment, and statistics reach the views within a second.
    await new Promise((r) => setTimeout(r, 1500));
    const pg = perMessage(pgBefore, await pgCounters(b.stack.sql), opts.recipients);
    const pgTop = await topStatements(b.stack.sql);
    const chain = await tallyWorkflowChain(b.temporal, run.workflowId);
    return {
      pages: await pageStats(b.temporal, run.workflowId, chain.runIds),
      timeline: await firstSendTimeline(b.temporal, run.workflowId, chain.firstRunId, run.launchedAt),
      cpuS,
      pg,
      pgTop,
      loadAvgAtLaunch,
      ...(await measure(sandbox, opts.recipients, run.launchedAt)),
      firstSendLatencyColdMs: coldLatencyMs === null ? null : coldLatencyMs - warm.launchedAt,
      seedMs: org.seedMs,
      workflowId: run.workflowId,
      workflowStatus: run.status,
      actions: chain.tally,
      workerRss: { hwmMb: memory.hwmMb ?? null, sampledPeakMb: memory.sampledPeakMb },
    };
  } finally {
    await Promise.all([workers, ...replicas, ...(second ? [second] : [])].map((w) => w.stop()));
    await sandbox.clearFaults();
  }
}

/** Launches through the API and waits for every accept and for the workflow's end. */
async function runCampaign(
  b: BenchStack,
  workers: NodeChild,
  token: string,
  n: number,
  label: string,
  log: (line: string) => void,
): Promise<{ workflowId: string; launchedAt: number; status: string }> {
  const sandbox = sandboxApi(b.sandboxUrl);
  const launchedAt = Date.now();
  const { workflowId } = await launch(b.apiUrl, token, `bench ${label}`);
  await untilReady(workers, waitForAccepted(sandbox, n, { label, log, stallMs: 120_000 }));
  const status = await finished(b, workflowId);
  return { workflowId, launchedAt, status };
}

/** POST /v1/campaigns with the bench's campaign body; the new workflow's id. */
export async function launch(apiUrl: string, token: string, title: string): Promise<{ workflowId: string }> {
  const res = await fetch(`${apiUrl}/v1/campaigns`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(campaignBody(title)),
  });
  const body = (await res.json()) as { workflowId?: string };
  if (res.status !== 201 || !body.workflowId)
    throw new Error(`POST /v1/campaigns answered ${res.status}: ${JSON.stringify(body)}`);
  return { workflowId: body.workflowId };
}

/** The workflow's result status, `failed: …`, or `timed out` after 120 s. */
export async function finished(b: BenchStack, workflowId: string): Promise<string> {
  const handle = b.temporal.workflow.getHandle(workflowId);
  const timeout = new Promise<string>((r) => setTimeout(() => r('timed out'), 120_000).unref());
  const done = handle.result().then(
    (r: { status: string }) => r.status,
    (err: Error) => `failed: ${err.message}`,
  );
  return Promise.race([done, timeout]);
}

async function measure(sandbox: SandboxApi, n: number, launchedAt: number) {
  const stats = await sandbox.stats();
  const summary = summarizeAccepts(await sandbox.smsMessages(), benchPhone, n);
  const reached = n - summary.missing;
  const first = summary.firstAcceptMs ?? launchedAt;
  const last = summary.lastAcceptMs ?? launchedAt;
  const elapsedS = (last - launchedAt) / 1000;
  return {
    recipients: n,
    elapsedS,
    firstSendLatencyMs: summary.firstAcceptMs === null ? null : first - launchedAt,
    sendRate: elapsedS > 0 ? reached / elapsedS : 0,
    steadyRate: last > first ? (reached - 1) / ((last - first) / 1000) : 0,
    duplicates: summary.duplicates,
    missing: summary.missing,
    provider429s: stats.rejected429,
    provider5xx: stats.rejected5xx,
    callbacksDelivered: stats.callbacksDelivered,
    callbackFailures: stats.callbackFailures,
  };
}
