import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { TASK_QUEUES } from '../../domain/task-queues';
import { withWorkerNodeOptions } from '../../workers/node-options';
import type { BenchStack } from '../bench-stack';
import { campaignBody } from '../content';
import { cpuBetween, snapshotCpu } from '../cpu-usage';
import { startNodeChild, untilReady } from '../node-child';
import { resetStatements, topStatements } from '../pg-activity';
import { runRawPhase } from '../raw-phase';
import { sandboxApi } from '../sandbox-api';
import { seedOrganization } from '../seed';
import { waitForAccepted } from '../wait-accepted';
import { waitForPollers } from '../worker-ready';
import { measureImport } from './import-slice';
import { pgSizes } from './pg-size';
import { timeCampaignReads, timePreview, timeSearches } from './queries';
import type { ScaleResult } from './result';
import { seedScaleOrganization } from './seed-million';

const UNTHROTTLED_RATE = 100_000;
/** An export of a whole list split into files of this many rows (about 11 MB each, under the 50 MiB limit). */
const IMPORT_ROWS_PER_FILE = 100_000;

export interface ScaleOptions {
  supporters: number;
  /** Rows imported through the API (all of `supporters`, or a slice extrapolated to it). */
  importRows: number;
  /** Seconds of the big stage's sending measured before it is cancelled. */
  windowS: number;
  /** Repeated calls per measured read. */
  calls: number;
  /** Messages of the raw run the stage's rate is compared with. */
  rawMessages: number;
  log: (line: string) => void;
}

/**
 * `npm run bench -- --scale N`: an organization of N supporters, and what an organizer feels in it:
 * import, search, preview, launch → first message, campaign reads during the stage, the stage's send
 * rate beside the raw rate, and PostgreSQL's size per delivery.
 */
export async function runScalePhase(b: BenchStack, o: ScaleOptions): Promise<ScaleResult> {
  const { log } = o;
  const notes: string[] = [];
  const apiPid = b.cpuGroups([]).find((g) => g.name === 'api')!.pid;
  const sizeBefore = await pgSizes(b.stack.sql);

  log(`scale: seeding ${o.supporters} supporters (INSERT … SELECT generate_series)`);
  const org = await seedScaleOrganization(b.stack.sql, 'bench scale', o.supporters, log);
  const sizeSeeded = await pgSizes(b.stack.sql);
  log(`scale: seeded in ${(org.seedMs / 1000).toFixed(1)} s, analyze ${(org.analyzeMs / 1000).toFixed(1)} s`);

  log(`scale: searching (${o.calls} calls per kind)`);
  const search = await timeSearches(b.apiUrl, org.token, o.supporters, o.calls);
  log(
    `scale: search p95 ${JSON.stringify(Object.fromEntries(Object.entries(search).map(([k, v]) => [k, Math.round(v.p95Ms)])))}`,
  );

  const previewBody = (exclude: string[]) => ({
    ...campaignBody('bench scale preview'),
    audience: { tags: { include: ['ua-network', 'students'], exclude } },
  });
  log(`scale: previewing (${o.calls} calls with one rule, ${o.calls} with a new rule each)`);
  const preview = await timePreview(b.apiUrl, org.token, () => previewBody(['press']), o.calls);
  // A rule never previewed before: an exclusion tag nobody carries, different on every call.
  const previewNew = await timePreview(
    b.apiUrl,
    org.token,
    (k) => previewBody(['press', `nobody-${k}`]),
    o.calls,
  );
  log(
    `scale: preview p95 ${preview.p95Ms.toFixed(0)} ms (repeated rule), ${previewNew.p95Ms.toFixed(0)} ms (new rule)`,
  );

  log(`scale: raw run of ${o.rawMessages} messages`);
  const raw = await runRawPhase(b, o.rawMessages);
  log(`scale: raw ${raw.rate.toFixed(0)} msg/s`);

  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const workers = startNodeChild({
    name: 'workers (scale)',
    entry: b.workerEntry,
    env: withWorkerNodeOptions(
      b.childEnv({ SMS_RATE_PER_SEC: String(UNTHROTTLED_RATE), WORKER_ROLES: 'orchestrator,sms,email' }),
    ),
    logFile: b.logFile('workers-scale'),
    nodeArgs: b.nodeArgs('workers-scale'),
  });
  try {
    const warm = await seedOrganization(b.stack.sql, 'bench scale warm-up', 20);
    await untilReady(
      workers,
      waitForPollers(b.temporal, workers.pid, [
        { name: TASK_QUEUES.orchestrator, kind: 'workflow' },
        { name: TASK_QUEUES.sms, kind: 'activity' },
      ]),
    );
    await launch(b.apiUrl, warm.token, 'bench scale warm-up');
    await untilReady(workers, waitForAccepted(sandbox, 20, { label: 'scale warm-up', log, stallMs: 60_000 }));
    await new Promise((r) => setTimeout(r, 1000));
    await sandbox.reset();

    log(`scale: launching a stage to all ${o.supporters} supporters`);
    const groups = b.cpuGroups([{ name: 'workers', pid: workers.pid }]);
    const loadAtLaunch = loadavg()[0] ?? 0;
    await resetStatements(b.stack.sql);
    const launchedAt = Date.now();
    const campaign = await launch(b.apiUrl, org.token, 'bench scale');
    const firstAt = await untilReady(workers, firstAccept(sandbox, launchedAt, 15 * 60_000));
    const firstSendMs = firstAt - launchedAt;
    log(`scale: first message accepted ${firstSendMs} ms after launch`);
    const cpuBefore = snapshotCpu(groups);
    const acceptedBefore = (await sandbox.stats()).accepted;
    const windowStarted = Date.now();
    log(`scale: campaign detail and list during the stage (${o.calls} calls each)`);
    const reads = await timeCampaignReads(b.apiUrl, org.token, campaign.id, o.calls);
    log(
      `scale: detail p95 ${reads.detail.p95Ms.toFixed(0)} ms, list p95 ${reads.list.p95Ms.toFixed(0)} ms` +
        ` (from the sandbox process: ${reads.inHarness.detail.p95Ms.toFixed(0)}, ${reads.inHarness.list.p95Ms.toFixed(0)} ms)`,
    );
    const rest = o.windowS * 1000 - (Date.now() - windowStarted);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    const acceptedAfter = (await sandbox.stats()).accepted;
    const windowS = (Date.now() - windowStarted) / 1000;
    const cpuS = cpuBetween(cpuBefore, snapshotCpu(groups));
    const pgTop = await topStatements(b.stack.sql, 12);
    const sent = acceptedAfter - acceptedBefore;
    const sendRate = sent / windowS;
    log(
      `scale: ${sent} accepted in a ${windowS.toFixed(0)} s window (${sendRate.toFixed(0)} msg/s); cancelling`,
    );
    await cancel(b.apiUrl, org.token, campaign.id);
    const status = await b.temporal.workflow
      .getHandle(campaign.workflowId)
      .result()
      .then(
        (r: { status: string }) => r.status,
        (err: Error) => `failed: ${err.message}`,
      );
    const stats = await sandbox.stats();
    // The raw run again, the stage cancelled: the ratio divides by the mean of the two (bench/run.ts).
    log(`scale: raw run of ${o.rawMessages} messages again, after the stage`);
    const rawAfter = await runRawPhase(b, o.rawMessages);
    const rawRate = (raw.rate + rawAfter.rate) / 2;
    log(`scale: raw ${rawAfter.rate.toFixed(0)} msg/s after, ${rawRate.toFixed(0)} mean`);
    const sizeAfter = await pgSizes(b.stack.sql);
    // Last, into an organization of its own: the rows it adds do not change what the reads above measured.
    log(`scale: importing ${o.importRows} rows through POST /v1/supporters/import`);
    const importOrg = await seedOrganization(b.stack.sql, 'bench scale import', 0);
    const imported = await measureImport({
      apiUrl: b.apiUrl,
      token: importOrg.token,
      apiPid,
      rows: o.importRows,
      rowsPerFile: Math.min(o.importRows, IMPORT_ROWS_PER_FILE),
      scale: o.supporters,
      log,
    });
    if (imported.extrapolated)
      notes.push(
        `import: ${imported.rows} rows measured through the API, ${o.supporters} extrapolated at that rate`,
      );
    const deliveries = sizeAfter.deliveryRows;
    return {
      started_at: new Date(launchedAt).toISOString(),
      supporters: o.supporters,
      seed: { seconds: org.seedMs / 1000, analyze_s: org.analyzeMs / 1000 },
      import: imported,
      search,
      preview,
      preview_new_rule: previewNew,
      campaign_detail: reads.detail,
      campaign_list: reads.list,
      campaign_reads_in_harness: reads.inHarness,
      first_send_ms: firstSendMs,
      stage: {
        targeted: await targetedOf(b, campaign.id),
        window_s: windowS,
        accepted_in_window: sent,
        send_rate: sendRate,
        raw_rate: rawRate,
        raw_rates: { before: raw.rate, after: rawAfter.rate },
        ratio_to_raw: sendRate / rawRate,
        provider_429s: stats.rejected429,
        workflow_status: status,
        cpu_s: cpuS,
        cpu_ms_per_message: Object.fromEntries(
          Object.entries(cpuS).map(([k, v]) => [k, sent > 0 ? Math.round((v * 1e6) / sent) / 1000 : 0]),
        ),
        load_avg_at_launch: loadAtLaunch,
        pg_top_statements: pgTop,
      },
      pg: {
        database_mb: {
          before: sizeBefore.databaseMb,
          seeded: sizeSeeded.databaseMb,
          after: sizeAfter.databaseMb,
        },
        supporters_mb_per_million: ((sizeSeeded.supportersMb - sizeBefore.supportersMb) / o.supporters) * 1e6,
        deliveries_rows: deliveries,
        deliveries_mb: sizeAfter.deliveriesMb,
        deliveries_mb_per_million: deliveries > 0 ? (sizeAfter.deliveriesMb / deliveries) * 1e6 : null,
        stage_recipients_mb_per_million:
          ((sizeAfter.stageRecipientsMb - sizeSeeded.stageRecipientsMb) / o.supporters) * 1e6,
      },
      notes,
    };
  } finally {
    await workers.stop();
  }
}

async function launch(apiUrl: string, token: string, title: string) {
  const res = await fetch(`${apiUrl}/v1/campaigns`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(campaignBody(title)),
  });
  const body = (await res.json()) as { id?: string; workflowId?: string };
  if (res.status !== 201 || !body.id || !body.workflowId)
    throw new Error(`POST /v1/campaigns answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, workflowId: body.workflowId };
}

async function cancel(apiUrl: string, token: string, id: string) {
  const res = await fetch(`${apiUrl}/v1/campaigns/${id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 202) throw new Error(`cancel answered ${res.status}: ${await res.text()}`);
}

/** The provider's accept time of the first message after `since` (epoch ms), polling the sandbox. */
async function firstAccept(sandbox: ReturnType<typeof sandboxApi>, since: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { accepted } = await sandbox.stats();
    if (accepted > 0) {
      const times = (await sandbox.smsMessages())
        .map((m) => Date.parse(m.acceptedAt))
        .filter((t) => t >= since);
      if (times.length > 0) return Math.min(...times);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no message accepted within ${timeoutMs / 1000} s of launch`);
}

async function targetedOf(b: BenchStack, campaignId: string): Promise<number> {
  const [row] = await b.stack.sql<{ n: number }[]>`
    select coalesce(sum(targeted), 0)::int as n from stage_runs where campaign_id = ${campaignId}`;
  return row?.n ?? 0;
}
