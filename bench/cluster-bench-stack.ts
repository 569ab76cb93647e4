import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config';
import { payloadKeys } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { CLUSTER_SERVICES } from '../infra/cluster/config';
import { startClusterStack, WORKER_PROCESSES } from '../infra/cluster/stack';
import { loadOrCreateDevSecrets } from '../infra/dev-secrets';
import { StartupError, startupFailureLine } from '../infra/startup-error';
import { ensureTemporalCli } from '../infra/temporal-cli';
import type { BenchStack } from './bench-stack';

/**
 * The benchmark's stack on the production-shaped cluster (infra/cluster/stack.ts): PostgreSQL with
 * pg_stat_statements, the four Temporal service processes, two API processes behind the sandbox's
 * round-robin, and WORKER_PROCESSES built worker processes per phase (started by the phase).
 */
export async function startClusterBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-bench-cluster-'));
  await chmod(dataDir, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse())
      await c().catch((err) => log(`cleanup failed: ${String(err)}`));
  };
  try {
    await mkdir('dist', { recursive: true });
    const buildDir = await mkdtemp(join('dist', 'bench-'));
    cleanups.push(() => rm(buildDir, { recursive: true, force: true }));
    log('building the worker and the workflow bundle (npm run build)');
    execFileSync(process.execPath, ['--import', 'tsx', 'infra/build.ts', buildDir], { stdio: 'ignore' });
    const workflowBundle = join(buildDir, 'workflow-bundle.js');
    const stack = await startClusterStack({
      dataDir,
      temporalCli: await ensureTemporalCli({ log }),
      secrets: await loadOrCreateDevSecrets(dataDir),
      pgSettings: { shared_preload_libraries: 'pg_stat_statements' },
      headless: true,
      noWorkers: true,
      // Status callbacks (two per SMS) must reach the handlers, not the per-IP webhook limiter.
      serviceEnv: { LOG_LEVEL: 'warn', RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: '100000000' },
      log,
    });
    cleanups.push(() => stack.stop());
    const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      ...stack.env,
      LOG_LEVEL: 'warn',
      WORKFLOW_BUNDLE: workflowBundle,
      ...extra,
    });
    const config = loadConfig(childEnv());
    const temporal = await connectTemporalClient({
      address: stack.cluster.address,
      namespace: stack.cluster.namespace,
      keys: payloadKeys(config),
    });
    cleanups.push(() => temporal.connection.close());
    const pgDir = join(dataDir, 'pg');
    return {
      dataDir,
      stack: { sql: stack.sql, env: stack.env },
      apiUrl: stack.publicUrl,
      sandboxUrl: stack.sandboxUrl,
      temporal,
      childEnv,
      logFile: (name) => join(dataDir, `${name}.log`),
      workerEntry: join(buildDir, 'worker.mjs'),
      workerProcesses: WORKER_PROCESSES,
      nodeArgs: () => [],
      cpuGroups: (extra) => [
        { name: 'harness+sandbox', pid: process.pid },
        ...stack.apis.map((a) => ({ name: a.name, pid: a.pid })),
        ...CLUSTER_SERVICES.map((s) => ({ name: `temporal-${s}`, pid: stack.cluster.services[s].pid })),
        { name: 'postgres', pid: postmasterPid(pgDir), withChildren: true },
        ...extra,
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw new StartupError(startupFailureLine('the benchmark cluster', err));
  }
}

function postmasterPid(pgDir: string): number {
  try {
    return Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
}
