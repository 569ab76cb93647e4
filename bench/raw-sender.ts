import { writeFileSync } from 'node:fs';
import { forEachConcurrent } from '../activities/concurrency';
import { loadConfig } from '../core/config';
import { publicBaseUrl } from '../core/runtime';
import { createSmsFromConfig } from '../workers/channels';
import { rawMessage } from './content';

// Child process of the raw phase: N messages through the SMS adapter and the real twilio SDK to the
// sandbox, `concurrency` in flight, no Temporal, no database. Usage: raw-sender.ts N CONCURRENCY OUT.
export interface RawResult {
  sent: number;
  errors: number;
  elapsedMs: number;
  rate: number;
  /** This process's CPU seconds while sending. */
  cpuS: number;
}

async function main() {
  const [n, concurrency, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
  if (!Number.isInteger(n) || !Number.isInteger(concurrency) || !out)
    throw new Error('usage: raw-sender.ts N CONCURRENCY OUT');
  const config = loadConfig();
  const sms = createSmsFromConfig(config);
  const base = publicBaseUrl(config);
  const indexes = Array.from({ length: n }, (_, k) => k + 1);
  let sent = 0;
  let errors = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await forEachConcurrent(indexes, concurrency, async (i) => {
    const { to, body } = rawMessage(i, base);
    // No status callback: the raw path has no API or database behind it.
    await sms.send({ to, body, statusCallback: '' }).then(
      () => {
        sent++;
      },
      () => {
        errors++;
      },
    );
  });
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const result: RawResult = { sent, errors, elapsedMs, rate: sent / (elapsedMs / 1000), cpuS };
  writeFileSync(out, JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
