import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../core/config';
import { payloadKeys } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { loadOrCreateDevSecrets } from '../infra/dev-secrets';
import { freePort } from '../infra/free-port';
import { type LocalStack, startLocalStack } from '../infra/local-stack';
import { StartupError, startupFailureLine } from '../infra/startup-error';
import { ensureTemporalCli } from '../infra/temporal-cli';
import type { CpuGroup } from './cpu-usage';
import { startNodeChild, untilReady } from './node-child';

export interface BenchStack {
  dataDir: string;
  /** What the phases use of the stack (the cluster's stack provides the same). */
  stack: Pick<LocalStack, 'sql' | 'env'>;
  apiUrl: string;
  sandboxUrl: string;
  temporal: Client;
  /** The environment of every child (API, workers, raw sender): the local stack's, plus quiet logs. */
  childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  logFile(name: string): string;
  /** The worker entry point as `npm run build` writes it. */
  workerEntry: string;
  /** Worker processes a campaign phase runs (1 on the dev server, 2 on the cluster). */
  workerProcesses?: number;
  /** Node flags for a child named `name`: a CPU profile when profiling. */
  nodeArgs(name: string): string[];
  /** The stack's processes for CPU accounting, plus the given ones. */
  cpuGroups(extra: CpuGroup[]): CpuGroup[];
  stop(): Promise<void>;
}

/**
 * PostgreSQL, the Temporal dev server and the sandbox (this process) in a fresh temporary folder on
 * free loopback ports, and the API in a child process, as `npm run dev` runs it.
 */
export async function startBenchStack(
  log: (line: string) => void,
  opts: { profileDir?: string } = {},
): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-bench-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  await chmod(dataDir, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((err) => log(`cleanup failed: ${String(err)}`));
  };
  try {
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const stack = await startLocalStack({
      dataDir,
      temporalCli: await ensureTemporalCli({ log }),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      headless: true,
      embeddedPgPort: await freePort(),
      // Per-statement figures for the report (bench/pg-activity.ts).
      embeddedPgSettings: {
        shared_preload_libraries: 'pg_stat_statements',
        'pg_stat_statements.track_planning': 'on',
      },
      connectTimeoutS: 10,
      apiBaseUrl: apiUrl,
      secrets: await loadOrCreateDevSecrets(dataDir),
      log,
    });
    cleanups.push(() => stack.stop());
    // Workers run as deployed (README, Operations): built by `npm run build`, in its own process, so
    // the measured worker runs plain JavaScript and never loads webpack.
    // Inside the project, so the built worker finds node_modules; removed with the rest.
    await mkdir('dist', { recursive: true });
    const buildDir = await mkdtemp(join('dist', 'bench-'));
    cleanups.push(() => rm(buildDir, { recursive: true, force: true }));
    log('building the worker and the workflow bundle (npm run build)');
    execFileSync(process.execPath, ['--import', 'tsx', 'infra/build.ts', buildDir], { stdio: 'ignore' });
    const workflowBundle = join(buildDir, 'workflow-bundle.js');
    const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      ...stack.env,
      PORT: String(apiPort),
      LOG_LEVEL: 'warn',
      WORKFLOW_BUNDLE: workflowBundle,
      ...extra,
    });
    const logFile = (name: string) => join(dataDir, `${name}.log`);
    const nodeArgs = (name: string) =>
      opts.profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${join(opts.profileDir, name)}`, '--cpu-prof-interval=500']
        : [];
    const config = loadConfig(childEnv());
    const temporal = await connectTemporalClient({
      address: stack.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      keys: payloadKeys(config),
    });
    cleanups.push(() => temporal.connection.close());
    const api = startNodeChild({
      name: 'api',
      entry: 'api/main.ts',
      // Status callbacks (two per SMS) must reach the handlers, not the per-IP webhook limiter.
      env: childEnv({ RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: '100000000' }),
      logFile: logFile('api'),
      nodeArgs: nodeArgs('api'),
    });
    cleanups.push(() => api.stop());
    await untilReady(api, waitForHealth(`${apiUrl}/healthz`, 60_000));
    return {
      dataDir,
      stack,
      apiUrl,
      sandboxUrl: stack.sandboxUrl!,
      temporal,
      childEnv,
      workerEntry: join(buildDir, 'worker.mjs'),
      logFile,
      nodeArgs,
      cpuGroups: (extra) => [
        { name: 'harness+sandbox', pid: process.pid },
        { name: 'api', pid: api.pid },
        { name: 'temporal', pid: stack.temporalProcess.pid ?? 0 },
        { name: 'postgres', pid: postmasterPid(dataDir), withChildren: true },
        ...extra,
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw new StartupError(startupFailureLine('the benchmark stack', err));
  }
}

function postmasterPid(dataDir: string): number {
  try {
    return Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}
