import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../channels/sandbox/server';
import { connectDatabase, type Sql } from '../../db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { withWorkerNodeOptions } from '../../workers/node-options';
import type { DevSecrets } from '../dev-secrets';
import { freePort } from '../free-port';
import { startTemporalCluster, type TemporalCluster } from './cluster';
import type { ClusterDatabase } from './config';
import { freeClusterPort } from './ports';
import { type ManagedProcess, managedProcess } from './process';

/** Node processes of the service on the cluster: replicas of the API and of the workers. */
export const API_PROCESSES = 2;
export const WORKER_PROCESSES = 2;

export interface ClusterStackOptions {
  dataDir: string;
  temporalCli: string;
  secrets: DevSecrets;
  /** Settings of the embedded PostgreSQL server (e.g. pg_stat_statements for the benchmark). */
  pgSettings?: Record<string, string>;
  headless?: boolean;
  codecEndpoint?: string;
  /** The API entry (default api/main.ts); chaos runs one that also counts its 5xx. */
  apiEntry?: string;
  /** The worker entry (default workers/main.ts; the benchmark runs the built one). */
  workerEntry?: string;
  /** Environment added to every API and worker process (rates, log level, limits). */
  serviceEnv?: Record<string, string>;
  /** Start no worker processes (the benchmark starts its own per phase). */
  noWorkers?: boolean;
  log: (line: string) => void;
  onSpawn?: (name: string, pid: number) => void;
}

export interface ClusterStack {
  sql: Sql;
  databaseUrl: string;
  cluster: TemporalCluster;
  sandboxUrl: string;
  /** What a browser or a load balancer would use: the first API process. Twilio signs over it. */
  publicUrl: string;
  apiUrls: string[];
  apis: ManagedProcess[];
  workers: ManagedProcess[];
  /** The environment of every API and worker process. */
  env: Record<string, string>;
  /** Where every service, API and worker process writes its log (`<name>.log`); gone after `stop`. */
  logDir: string;
  /** The PostgreSQL postmaster's pid (0 while down). */
  pgPid(): number;
  /** SIGKILL of the postmaster (no shutdown checkpoint: the next start replays the WAL). */
  crashPostgres(): Promise<void>;
  /** Fast shutdown of PostgreSQL. */
  stopPostgres(): Promise<void>;
  /** Starts PostgreSQL again on the same data (crash recovery when it was killed). */
  startPostgres(): Promise<void>;
  /** Starts one more worker process with `extraEnv` (the benchmark's per-phase rates). */
  startWorker(name: string, extraEnv?: Record<string, string>): ManagedProcess;
  stop(): Promise<void>;
}

/**
 * The service as it runs in production, on one machine: embedded PostgreSQL (the service's
 * database and Temporal's two), the four-process Temporal cluster, the provider sandbox posting
 * its callbacks round-robin to the API processes, API_PROCESSES API processes and WORKER_PROCESSES
 * worker processes (every worker role in each). Everything stops in reverse order on `stop()`,
 * and on a failed start.
 */
export async function startClusterStack(opts: ClusterStackOptions): Promise<ClusterStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse())
      await s().catch((err) => opts.log(`stop failed: ${String(err)}`));
  };
  try {
    const pgPort = await freePort();
    const pgDir = join(opts.dataDir, 'pg');
    // Four Temporal processes (12 connections each) and four service processes share the server.
    const settings = { max_connections: '300', ...opts.pgSettings };
    const startPg = () => startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, settings });
    opts.log(`starting embedded PostgreSQL on port ${pgPort}`);
    let pg: EmbeddedDatabase | null = await startPg();
    stops.push(() => pg?.stop() ?? Promise.resolve());
    const databaseUrl = pg.url;
    const sql = await connectDatabase(databaseUrl, { connectTimeoutS: 10 });
    stops.push(() => sql.end({ timeout: 2 }));
    await migrate(sql);

    const url = new URL(databaseUrl);
    const db: ClusterDatabase = {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: 'temporal',
      visibilityDatabase: 'temporal_visibility',
    };
    opts.log('starting the Temporal cluster (frontend, history, matching, worker)');
    const cluster = await startTemporalCluster({
      dir: join(opts.dataDir, 'temporal'),
      db,
      temporalCli: opts.temporalCli,
      freePort: freeClusterPort,
      headless: opts.headless,
      codecEndpoint: opts.codecEndpoint,
      log: opts.log,
      onSpawn: opts.onSpawn,
    });
    stops.push(() => cluster.stop());

    const apiPorts: number[] = [];
    for (let i = 0; i < API_PROCESSES; i++) apiPorts.push(await freePort());
    const apiUrls = apiPorts.map((p) => `http://127.0.0.1:${p}`);
    const publicUrl = apiUrls[0] as string;
    const s = opts.secrets;
    const sandbox = await startSandbox({
      port: 0,
      accountSid: s.twilioAccountSid,
      authToken: s.twilioAuthToken,
      resendWebhookSecret: s.resendWebhookSecret,
      apiBaseUrl: apiUrls,
      publicBaseUrl: publicUrl,
    });
    stops.push(() => sandbox.close());
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      PAYLOAD_KEYS: s.payloadKeys,
      LINK_SECRET: s.linkSecret,
      SUPPRESSION_KEY: s.suppressionKey,
      TWILIO_ACCOUNT_SID: s.twilioAccountSid,
      TWILIO_AUTH_TOKEN: s.twilioAuthToken,
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_BASE_URL: sandbox.url,
      RESEND_API_KEY: s.resendApiKey,
      RESEND_BASE_URL: sandbox.url,
      RESEND_WEBHOOK_SECRET: s.resendWebhookSecret,
      PUBLIC_BASE_URL: publicUrl,
      ...opts.serviceEnv,
    };
    const logDir = join(opts.dataDir, 'temporal', 'logs');
    const node = (entry: string) => ['--import', 'tsx', entry];
    const apis = apiPorts.map((port, i) =>
      managedProcess({
        name: `api-${i + 1}`,
        command: process.execPath,
        args: node(opts.apiEntry ?? 'api/main.ts'),
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
        logFile: join(logDir, `api-${i + 1}.log`),
        onSpawn: (pid) => opts.onSpawn?.(`API ${i + 1}`, pid),
      }),
    );
    stops.push(async () => {
      for (const a of apis) await a.stop();
    });
    const workers: ManagedProcess[] = [];
    const startWorker = (name: string, extraEnv: Record<string, string> = {}) => {
      const entry = opts.workerEntry ?? 'workers/main.ts';
      const w = managedProcess({
        name,
        command: process.execPath,
        args: entry.endsWith('.ts') ? node(entry) : ['--enable-source-maps', entry],
        env: withWorkerNodeOptions({ ...process.env, ...env, ...extraEnv }),
        logFile: join(logDir, `${name}.log`),
        onSpawn: (pid) => opts.onSpawn?.(name, pid),
      });
      workers.push(w);
      return w;
    };
    stops.push(async () => {
      await Promise.all(workers.map((w) => w.stop()));
    });
    if (!opts.noWorkers) for (let i = 0; i < WORKER_PROCESSES; i++) startWorker(`worker-${i + 1}`);
    for (const [i, u] of apiUrls.entries())
      await waitForHealth(`${u}/healthz`, 90_000, apis[i] as ManagedProcess);

    const postmaster = () => {
      try {
        return Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
      } catch {
        return 0;
      }
    };
    return {
      sql,
      databaseUrl,
      cluster,
      sandboxUrl: sandbox.url,
      publicUrl,
      apiUrls,
      apis,
      workers,
      env,
      logDir,
      pgPid: () => (pg ? postmaster() : 0),
      async crashPostgres() {
        const pid = postmaster();
        if (pid) process.kill(pid, 'SIGKILL');
        pg = null;
        // Backends notice their postmaster's death and exit; until then the shared memory is in use.
        for (let i = 0; i < 100 && pid && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      },
      async stopPostgres() {
        await pg?.stop();
        pg = null;
      },
      async startPostgres() {
        // After a crash, orphaned backends may hold the shared memory for a moment: retry.
        for (let attempt = 1; ; attempt++) {
          try {
            pg = await startPg();
            return;
          } catch (err) {
            if (attempt >= 20) throw err;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      },
      startWorker,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForHealth(url: string, timeoutMs: number, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`${proc.name} exited before it answered: ${proc.tail(5)}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}
