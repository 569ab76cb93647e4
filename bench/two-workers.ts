import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchStack } from './bench-stack';
import { machineInfo } from './machine';
import type { BenchOptions } from './options';
import { runTwoCampaignsPhase } from './two-campaigns-phase';

/**
 * `npm run bench -- --phase two-workers [--rate R] [--throttled-recipients N]`: two campaigns (an
 * urgent alert and a weekly lobbying wave, N/2 recipients each) launched together through the API
 * and sent by two delivery worker processes that share the provider's rate through PostgreSQL
 * (sandbox and SMS_RATE_PER_SEC both R; DELIVERY_PAGES_PER_WORKER 1, so a process busy with one
 * page leaves the other campaign's page to the other process). Met when both processes sent pages
 * (counted from the workflow histories' activity starts, by worker identity) and together they hold
 * the rate (≥ 0.95 of it between the first and the last accept of either campaign) with 0 provider
 * 429s, 0 duplicates and 0 missing in both campaigns. Writes bench/results/two-workers-<time>.json.
 */
export async function runTwoWorkersCommand(
  bench: BenchStack,
  opts: BenchOptions,
  ctx: { started: number; resultsDir: string; log: (line: string) => void },
): Promise<void> {
  const perCampaign = Math.max(1, Math.floor(opts.throttledRecipients / 2));
  const n = 2 * perCampaign;
  ctx.log(
    `two workers: 2 campaigns × ${perCampaign} recipients, sandbox and SMS_RATE_PER_SEC at ${opts.rate}/s`,
  );
  const t = await runTwoCampaignsPhase(bench, {
    perCampaign,
    rate: opts.rate,
    workerEnv: { DELIVERY_PAGES_PER_WORKER: '1' },
    log: ctx.log,
  });
  const sendingWorkers = Object.values(t.pagesByWorker).filter((pages) => pages > 0).length;
  const ratio = t.combinedRate / opts.rate;
  const result = {
    started_at: new Date(ctx.started).toISOString(),
    recipients: n,
    campaigns: t.campaigns.map((c) => ({
      label: c.label,
      recipients: c.recipients,
      workflow_status: c.workflowStatus,
      steady_rate: c.steadyRate,
      duplicates: c.duplicates,
      missing: c.missing,
      pages_by_worker: c.pagesByWorker,
    })),
    configured_rate: opts.rate,
    achieved_rate: t.combinedRate,
    ratio,
    provider_429s: t.provider429s,
    busiest_second: t.busiestSecond,
    duplicates: t.duplicates,
    missing: t.missing,
    pages_by_worker: t.pagesByWorker,
    dropped_slots: t.droppedSlots,
    accepts_per_second: t.acceptsPerSecond,
    cpu_s: t.cpuS,
    pg_top_statements: t.pgTop,
    met:
      sendingWorkers >= 2 && ratio >= 0.95 && t.provider429s === 0 && t.duplicates === 0 && t.missing === 0,
    machine: machineInfo(),
  };
  const json = `${JSON.stringify(result, null, 2)}\n`;
  mkdirSync(ctx.resultsDir, { recursive: true });
  const file = join(ctx.resultsDir, `two-workers-${result.started_at.replace(/[:.]/g, '-')}-n${n}.json`);
  writeFileSync(file, json);
  if (opts.json) writeFileSync(resolve(opts.json), json);
  process.stdout.write(
    [
      '',
      `two workers, two campaigns × ${perCampaign} recipients at ${opts.rate}/s configured`,
      ...t.campaigns.map(
        (c) =>
          `  ${c.label.padEnd(16)} ${c.steadyRate.toFixed(1)}/s  duplicates ${c.duplicates}  missing ${c.missing}  ${c.workflowStatus}  pages ${JSON.stringify(c.pagesByWorker)}`,
      ),
      `combined rate   ${t.combinedRate.toFixed(1)}/s (${(ratio * 100).toFixed(1)} %)  target ≥ 95 %  ${ratio >= 0.95 ? 'met' : 'NOT met'}`,
      `provider 429s   ${t.provider429s}  target 0  ${t.provider429s === 0 ? 'met' : 'NOT met'}  (busiest second: ${t.busiestSecond} accepts)`,
      `duplicates      ${t.duplicates}  missing ${t.missing}  target 0 / 0  ${t.duplicates + t.missing === 0 ? 'met' : 'NOT met'}`,
      `pages by worker ${JSON.stringify(t.pagesByWorker)}  target: both send  ${sendingWorkers >= 2 ? 'met' : 'NOT met'}`,
      `dropped slots   ${JSON.stringify(t.droppedSlots)}`,
      `accepts per s   ${t.acceptsPerSecond.join(' ')}`,
      `CPU s           ${JSON.stringify(t.cpuS)}`,
      '',
    ].join('\n'),
  );
  ctx.log(`results: ${file}`);
}
