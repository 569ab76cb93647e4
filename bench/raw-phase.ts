import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStack } from './bench-stack';
import { startNodeChild } from './node-child';
import type { RawResult } from './raw-sender';
import { sandboxApi, summarizeAccepts } from './sandbox-api';
import { benchPhone } from './seed';

/** The SMS activity's lanes: what the raw path is allowed too. */
export const SMS_CONCURRENCY = 8;

export interface RawPhaseResult extends RawResult {
  duplicates: number;
  missing: number;
  /** CPU seconds of the sandbox's process (this one) during the phase. */
  sandboxCpuS: number;
}

/** N messages straight through the channel adapter and SDK to the sandbox, in a child process like the workers. */
export async function runRawPhase(b: BenchStack, n: number): Promise<RawPhaseResult> {
  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const out = join(b.dataDir, 'raw-result.json');
  const cpuStart = process.cpuUsage();
  const child = startNodeChild({
    name: 'raw sender',
    entry: 'bench/raw-sender.ts',
    args: [String(n), String(SMS_CONCURRENCY), out],
    env: b.childEnv(),
    logFile: b.logFile('raw-sender'),
  });
  const timer = setTimeout(() => void child.stop(), 30 * 60_000);
  const code = await child.exited;
  clearTimeout(timer);
  const cpu = process.cpuUsage(cpuStart);
  if (code !== 0) throw new Error(`raw sender exited with code ${code}:\n${child.tail()}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as RawResult;
  const summary = summarizeAccepts(await sandbox.smsMessages(), benchPhone, n);
  await sandbox.reset();
  return {
    ...result,
    duplicates: summary.duplicates,
    missing: summary.missing,
    sandboxCpuS: (cpu.user + cpu.system) / 1e6,
  };
}
