// Runs before vitest (see `npm test`): provisions the Temporal CLI and the time-skipping test server once
// and records their paths for the tests.
import { writeFileSync } from 'node:fs';
import { ensureChromium } from './chromium';
import { type PreparedPaths, preparedPathsFile } from './prepared-paths';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTestServer } from './temporal-test-server';

const log = (line: string) => console.log(`[test-prepare] ${line}`);

try {
  const started = Date.now();
  const temporalCli = await ensureTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH || undefined, log });
  const testServer = await ensureTestServer({ log });
  ensureChromium(log);
  const paths: PreparedPaths = { temporalCli, testServer };
  writeFileSync(preparedPathsFile(), `${JSON.stringify(paths, null, 2)}\n`);
  log(`ready in ${Date.now() - started} ms: ${JSON.stringify(paths)}`);
} catch (err) {
  console.error(`[test-prepare] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
