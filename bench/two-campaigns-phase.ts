import { TASK_QUEUES } from '../domain/task-queues';
import { freeLoopbackPort } from '../workers/metrics-server';
import { withWorkerNodeOptions } from '../workers/node-options';
import { pageStartsPerSecond } from '../workers/send-rates';
import type { BenchStack } from './bench-stack';
import { busiestSecond } from './busiest-second';
import { finished, launch } from './campaign-phase';
import { cpuBetween, snapshotCpu } from './cpu-usage';
import { tallyWorkflowChain } from './history-actions';
import { pageStats } from './history-timeline';
import { startNodeChild, untilReady } from './node-child';
import { resetStatements, type StatementCost, topStatements } from './pg-activity';
import { sandboxApi, summarizeAccepts } from './sandbox-api';
import { benchPhone, seedOrganization } from './seed';
import { waitForAccepted } from './wait-accepted';
import { waitForPollers } from './worker-ready';

const WARM_UP = 20;

/** One of the two campaigns, from the sandbox's accept times of its own recipients. */
export interface CampaignFigures {
  label: string;
  recipients: number;
  workflowStatus: string;
  /** Its recipients' accepts between its first and last accept, per second. */
  steadyRate: number;
  duplicates: number;
  missing: number;
  /** Pages started per worker process (named, not by pid). */
  pagesByWorker: Record<string, number>;
}

export interface TwoCampaignsResult {
  /** Both campaigns' recipients, accepted between the first and the last accept of either, per second. */
  combinedRate: number;
  provider429s: number;
  /** Most accepts (both campaigns) the sandbox stamped within any one second: at most the rate. */
  busiestSecond: number;
  duplicates: number;
  missing: number;
  /** Pages of both campaigns started per worker process: `workers` and `second worker`. */
  pagesByWorker: Record<string, number>;
  /** Accepts (both campaigns) in each whole second from the first accept: where the rate was lost. */
  acceptsPerSecond: number[];
  /** Shared-rate slots each process left unused, by reason (its campaign_send_slots_dropped_total). */
  droppedSlots: Record<string, Record<string, number>>;
  campaigns: CampaignFigures[];
  /** CPU seconds per process group from launch to both workflows' ends. */
  cpuS: Record<string, number>;
  /** PostgreSQL's costliest statements over the same span (pg_stat_statements). */
  pgTop: StatementCost[];
}

/**
 * Two SMS campaigns in two organizations (an urgent alert and a weekly lobbying wave, `perCampaign`
 * recipients each, numbers that do not overlap), launched together through the API, sent by two
 * delivery worker processes: `workers` (orchestrator, sms, email) and `second worker` (sms only),
 * both with SMS_RATE_PER_SEC = `rate` and `workerEnv`, the sandbox limited to `rate`.
 */
export async function runTwoCampaignsPhase(
  b: BenchStack,
  opts: {
    perCampaign: number;
    rate: number;
    /** Extra environment for both worker processes (e.g. DELIVERY_PAGES_PER_WORKER). */
    workerEnv?: Record<string, string>;
    log: (line: string) => void;
  },
): Promise<TwoCampaignsResult> {
  const n = opts.perCampaign;
  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const metricsPorts = { workers: await freeLoopbackPort(), 'second worker': await freeLoopbackPort() };
  const start = (name: keyof typeof metricsPorts, roles: string) =>
    startNodeChild({
      name: `${name} (two-workers)`,
      entry: b.workerEntry,
      env: withWorkerNodeOptions(
        b.childEnv({
          SMS_RATE_PER_SEC: String(opts.rate),
          WORKER_ROLES: roles,
          METRICS_PORT: String(metricsPorts[name]),
          ...opts.workerEnv,
        }),
      ),
      logFile: b.logFile(`${name.replace(/ /g, '-')}-two-workers`),
      nodeArgs: b.nodeArgs(`${name.replace(/ /g, '-')}-two-workers`),
    });
  const workers = start('workers', 'orchestrator,sms,email');
  const second = start('second worker', 'sms');
  const names = new Map([
    [workers.pid, 'workers'],
    [second.pid, 'second worker'],
  ]);
  try {
    const [urgent, weekly, warm] = await Promise.all([
      seedOrganization(b.stack.sql, 'bench urgent alert', n, { first: 1 }),
      seedOrganization(b.stack.sql, 'bench weekly lobbying', n, { first: n + 1 }),
      seedOrganization(b.stack.sql, 'bench two-workers warm-up', WARM_UP, { first: 2 * n + 1 }),
      untilReady(
        workers,
        waitForPollers(b.temporal, workers.pid, [
          { name: TASK_QUEUES.orchestrator, kind: 'workflow' },
          { name: TASK_QUEUES.sms, kind: 'activity' },
        ]),
      ),
      untilReady(
        second,
        waitForPollers(b.temporal, second.pid, [{ name: TASK_QUEUES.sms, kind: 'activity' }]),
      ),
    ]);
    // A running service has run a campaign before (workflow bundle loaded, SDK modules required).
    const warmRun = await launch(b.apiUrl, warm.token, 'bench two-workers warm-up');
    await untilReady(
      workers,
      waitForAccepted(sandbox, WARM_UP, { label: 'warm-up', log: opts.log, stallMs: 120_000 }),
    );
    await finished(b, warmRun.workflowId);
    await sandbox.reset();
    await sandbox.limitRate(opts.rate);
    // Give the queue's page token back (workers/send-rates.ts pageStartsPerSecond), as on an idle service.
    await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 / pageStartsPerSecond(opts.rate))));
    opts.log(`two-workers: 2 × ${n} supporters seeded; launching both campaigns together`);

    const groups = b.cpuGroups([
      { name: 'workers', pid: workers.pid },
      { name: 'second worker', pid: second.pid },
    ]);
    const cpuBefore = snapshotCpu(groups);
    await resetStatements(b.stack.sql);
    const runs = await Promise.all([
      launch(b.apiUrl, urgent.token, 'bench urgent alert'),
      launch(b.apiUrl, weekly.token, 'bench weekly lobbying'),
    ]);
    await untilReady(
      workers,
      waitForAccepted(sandbox, 2 * n, { label: 'two-workers', log: opts.log, stallMs: 120_000 }),
    );
    const statuses = await Promise.all(runs.map((r) => finished(b, r.workflowId)));
    const cpuS = cpuBetween(cpuBefore, snapshotCpu(groups));
    const pgTop = await topStatements(b.stack.sql);

    const stats = await sandbox.stats();
    const messages = await sandbox.smsMessages();
    const droppedSlots: Record<string, Record<string, number>> = {};
    for (const [name, port] of Object.entries(metricsPorts))
      droppedSlots[name] = await scrapeDroppedSlots(port);
    const all = summarizeAccepts(messages, benchPhone, 2 * n);
    const label = (identity: string) => names.get(Number(identity.split('@')[0])) ?? identity;
    const campaigns: CampaignFigures[] = [];
    const pagesByWorker: Record<string, number> = { workers: 0, 'second worker': 0 };
    for (const [i, name] of ['urgent alert', 'weekly lobbying'].entries()) {
      const s = summarizeAccepts(messages, (k) => benchPhone(i * n + k), n);
      const chain = await tallyWorkflowChain(b.temporal, runs[i]!.workflowId);
      const pages = await pageStats(b.temporal, runs[i]!.workflowId, chain.runIds);
      const byWorker: Record<string, number> = {};
      for (const [who, count] of Object.entries(pages.pagesByWorker)) {
        byWorker[label(who)] = (byWorker[label(who)] ?? 0) + count;
        pagesByWorker[label(who)] = (pagesByWorker[label(who)] ?? 0) + count;
      }
      campaigns.push({
        label: name,
        recipients: n,
        workflowStatus: statuses[i]!,
        steadyRate: rateBetween(n - s.missing, s.firstAcceptMs, s.lastAcceptMs),
        duplicates: s.duplicates,
        missing: s.missing,
        pagesByWorker: byWorker,
      });
    }
    return {
      combinedRate: rateBetween(2 * n - all.missing, all.firstAcceptMs, all.lastAcceptMs),
      provider429s: stats.rejected429,
      busiestSecond: busiestSecond(messages.map((m) => Date.parse(m.acceptedAt))),
      acceptsPerSecond: perSecond(messages.map((m) => Date.parse(m.acceptedAt))),
      droppedSlots,
      duplicates: all.duplicates,
      missing: all.missing,
      pagesByWorker,
      campaigns,
      cpuS,
      pgTop,
    };
  } finally {
    await Promise.all([workers.stop(), second.stop()]);
    await sandbox.clearFaults();
  }
}

/** How many of `times` (ms) fall in each whole second from the earliest. */
function perSecond(times: readonly number[]): number[] {
  if (times.length === 0) return [];
  const first = Math.min(...times);
  const counts: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - first) / 1000);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}

/** A worker's campaign_send_slots_dropped_total{channel="sms"} by reason, from its /metrics on `port`. */
async function scrapeDroppedSlots(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^campaign_send_slots_dropped_total\{([^}]*)\} (\S+)$/gm)) {
    const reason = /reason="([^"]*)"/.exec(m[1]!)?.[1];
    if (reason && m[1]!.includes('channel="sms"')) out[reason] = Number(m[2]);
  }
  return out;
}

/** `reached` accepts between `first` and `last` (ms) as a rate per second; 0 when there is no span. */
function rateBetween(reached: number, first: number | null, last: number | null): number {
  return first !== null && last !== null && last > first ? (reached - 1) / ((last - first) / 1000) : 0;
}
