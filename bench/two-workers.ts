import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchStack } from './bench-stack';
import { runCampaignPhase } from './campaign-phase';
import { machineInfo } from './machine';
import type { BenchOptions } from './options';

/**
 * `npm run bench -- --phase two-workers [--rate R] [--throttled-recipients N]`: one campaign sent by
 * two delivery worker processes at the provider's configured rate (sandbox and SMS_RATE_PER_SEC both
 * R). Met when both processes sent pages (counted from the workflow history's activity starts, by
 * worker identity) and together they hold the rate (≥ 0.95 of it between the first and last accept)
 * with 0 provider 429s, 0 duplicates and 0 missing. Writes bench/results/two-workers-<time>.json.
 */
export async function runTwoWorkersCommand(
  bench: BenchStack,
  opts: BenchOptions,
  ctx: { started: number; resultsDir: string; log: (line: string) => void },
): Promise<void> {
  const n = opts.throttledRecipients;
  ctx.log(`two workers: ${n} recipients, sandbox and SMS_RATE_PER_SEC at ${opts.rate}/s`);
  const t = await runCampaignPhase(bench, {
    label: 'two-workers',
    recipients: n,
    smsRate: opts.rate,
    sandboxRate: opts.rate,
    secondWorker: true,
    log: ctx.log,
  });
  const sendingWorkers = Object.values(t.pages.pagesByWorker).filter((n) => n > 0).length;
  const result = {
    started_at: new Date(ctx.started).toISOString(),
    recipients: n,
    configured_rate: opts.rate,
    achieved_rate: t.steadyRate,
    ratio: t.steadyRate / opts.rate,
    provider_429s: t.provider429s,
    duplicates: t.duplicates,
    missing: t.missing,
    workflow_status: t.workflowStatus,
    pages_by_worker: t.pages.pagesByWorker,
    cpu_s: t.cpuS,
    met:
      sendingWorkers >= 2 &&
      t.steadyRate / opts.rate >= 0.95 &&
      t.provider429s === 0 &&
      t.duplicates === 0 &&
      t.missing === 0,
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
      `two workers, ${n} recipients at ${opts.rate}/s configured`,
      `achieved rate   ${t.steadyRate.toFixed(1)}/s (${(result.ratio * 100).toFixed(1)} %)  target ≥ 95 %  ${result.ratio >= 0.95 ? 'met' : 'NOT met'}`,
      `provider 429s   ${t.provider429s}  target 0  ${t.provider429s === 0 ? 'met' : 'NOT met'}`,
      `duplicates      ${t.duplicates}  missing ${t.missing}  target 0 / 0  ${t.duplicates + t.missing === 0 ? 'met' : 'NOT met'}`,
      `pages by worker ${JSON.stringify(t.pages.pagesByWorker)}  target: both send  ${sendingWorkers >= 2 ? 'met' : 'NOT met'}`,
      `CPU s           ${JSON.stringify(t.cpuS)}`,
      '',
    ].join('\n'),
  );
  ctx.log(`results: ${file}`);
}
