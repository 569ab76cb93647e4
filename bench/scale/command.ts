import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchStack } from '../bench-stack';
import { machineInfo } from '../machine';
import type { BenchOptions } from '../options';
import { runScalePhase } from './phase';
import { scaleMarkdown, scaleText } from './result';

/**
 * `npm run bench -- --scale N [--import-rows R] [--scale-window S] [--scale-calls C] [--json FILE]`:
 * runs the scale phase, prints every figure beside its target and writes
 * bench/results/scale-<time>-n<N>.json, latest-scale.json and latest-scale.md.
 */
export async function runScaleCommand(
  bench: BenchStack,
  opts: BenchOptions & { scale: number },
  ctx: { started: number; resultsDir: string; log: (line: string) => void },
): Promise<void> {
  const result = await runScalePhase(bench, {
    supporters: opts.scale,
    importRows: Math.min(opts.importRows ?? opts.scale, opts.scale, 1_000_000),
    windowS: opts.scaleWindow,
    calls: opts.scaleCalls,
    rawMessages: 5000,
    log: ctx.log,
  });
  const report = { ...result, machine: machineInfo() };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(ctx.resultsDir, { recursive: true });
  const stamp = new Date(ctx.started).toISOString().replace(/[:.]/g, '-');
  const files = [
    join(ctx.resultsDir, `scale-${stamp}-n${opts.scale}.json`),
    join(ctx.resultsDir, 'latest-scale.json'),
  ];
  if (opts.json) files.push(resolve(opts.json));
  for (const f of files) writeFileSync(f, json);
  writeFileSync(join(ctx.resultsDir, 'latest-scale.md'), `${scaleMarkdown(report)}\n`);
  process.stdout.write(`\n${scaleText(report)}\n`);
  for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
  ctx.log(`results: ${files.join(', ')}`);
}
