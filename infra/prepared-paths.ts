import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir';

/** Where `tsx infra/test-prepare.ts` leaves the provisioned tools for the test run. */
export interface PreparedPaths {
  temporalCli: string;
  testServer: string;
}

export function preparedPathsFile(): string {
  return join(cacheDir(), 'paths.json');
}

export function readPreparedPaths(): PreparedPaths {
  const file = preparedPathsFile();
  let parsed: Partial<PreparedPaths>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PreparedPaths>;
  } catch (err) {
    throw new Error(
      `${file} is missing or unreadable (${String(err)}). Run \`npx tsx infra/test-prepare.ts\` ` +
        '(npm test does it) to provision the Temporal CLI and test server first.',
    );
  }
  if (typeof parsed.temporalCli !== 'string' || typeof parsed.testServer !== 'string') {
    throw new Error(`${file} lacks temporalCli/testServer; rerun \`npx tsx infra/test-prepare.ts\`.`);
  }
  return { temporalCli: parsed.temporalCli, testServer: parsed.testServer };
}
