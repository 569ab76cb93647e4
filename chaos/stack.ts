import { appendFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { startSandbox } from '../channels/sandbox/server';
import { loadConfig } from '../core/config';
import { keepConnectionsAlive } from '../core/keep-alive';
import { createLogger } from '../core/logger';
import { payloadKeys, publicBaseUrl } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { connectDatabase, type Sql } from '../db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { createOrganization, createPartner, createToken } from '../db/tenants';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';
import { loadOrCreateDevSecrets } from '../infra/dev-secrets';
import { freePort } from '../infra/free-port';
import { readPreparedPaths } from '../infra/prepared-paths';
import { StartupError, startupFailureLine } from '../infra/startup-error';
import { type Supervised, supervise } from '../infra/supervisor';
import { startTemporalDevServer, type TemporalDevServer } from '../infra/temporal-dev-server';
import { withWorkerNodeOptions } from '../workers/node-options';

// Lines of PostgreSQL's log worth showing beside a scenario's result.
const PG_TROUBLE =
  /PANIC|terminated by signal|was terminated|administrator command|shutting down|shutdown request|all server processes terminated|reinitializing|out of memory|too many clients/i;

/** Reconciliation settings of both chaos stacks (dev server and cluster). */
export const CHAOS_RECONCILE_ENV = { RECONCILE_AFTER_MINUTES: '0.5', RECONCILE_EVERY_MINUTES: '0.5' };

export interface ChaosStackOptions {
  log: (line: string) => void;
  /**
   * Every line PostgreSQL logs, connections and disconnections included, appended to this file
   * (the stack's data directory is deleted at the end): for a fault seen on the client side only,
   * such as a connection that took the whole connect timeout.
   */
  pgLogFile?: string;
}

/**
 * The real stack with every part restartable on its own: embedded PostgreSQL and the Temporal dev
 * server keep their data across restarts; workers run in a supervised child process (restarted
 * after a SIGKILL); the API runs in this process and counts the 5xx it answers.
 */
export async function startChaosStack(opts: ChaosStackOptions) {
  // What started so far, stopped in reverse order if a later part fails to start.
  const started: Array<() => Promise<unknown>> = [];
  try {
    return await startParts(opts, started);
  } catch (err) {
    for (const stop of started.reverse()) await stop().catch(() => {});
    throw new StartupError(startupFailureLine('the chaos stack', err));
  }
}

async function startParts(opts: ChaosStackOptions, started: Array<() => Promise<unknown>>) {
  guardPostgresClosedSocketWrites(opts.log);
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-chaos-'));
  started.push(() => rm(dataDir, { recursive: true, force: true }));
  await chmod(dataDir, 0o755);
  const secrets = await loadOrCreateDevSecrets(dataDir);
  const ports = { api: await freePort(), temporal: await freePort(), pg: await freePort() };
  const apiUrl = `http://127.0.0.1:${ports.api}`;

  // PostgreSQL's own word on crashes and shutdowns (a 503 during a flood once named 57P03, 'the
  // database system is shutting down', with no restart scheduled): printed as it happens.
  const pgLine = (line: string) => {
    if (opts.pgLogFile) appendFileSync(opts.pgLogFile, line.endsWith('\n') ? line : `${line}\n`);
    if (PG_TROUBLE.test(line)) opts.log(`[postgres] ${line.trim()}`);
  };
  const pgSettings = opts.pgLogFile
    ? { log_connections: 'on', log_disconnections: 'on', log_lock_waits: 'on' }
    : undefined;
  const startPg = () =>
    startEmbeddedPostgres({
      dataDir: join(dataDir, 'pg'),
      port: ports.pg,
      settings: pgSettings,
      onLogLine: pgLine,
    });
  let pg: EmbeddedDatabase = await startPg();
  started.push(() => pg.stop());
  const sql: Sql = await connectDatabase(pg.url, { connectTimeoutS: 10 });
  await migrate(sql);
  const temporalOpts = {
    cliPath: readPreparedPaths().temporalCli,
    dbFile: join(dataDir, 'temporal.db'),
    port: ports.temporal,
    uiPort: await freePort(),
    headless: true,
    log: opts.log,
  };
  let temporal: TemporalDevServer = await startTemporalDevServer(temporalOpts);
  started.push(() => temporal.stop());
  const sandbox = await startSandbox({
    port: 0,
    accountSid: secrets.twilioAccountSid,
    authToken: secrets.twilioAuthToken,
    resendWebhookSecret: secrets.resendWebhookSecret,
    apiBaseUrl: apiUrl,
    publicBaseUrl: apiUrl,
  });
  started.push(() => sandbox.close());
  const env: Record<string, string> = {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_KEYS: secrets.payloadKeys,
    LINK_SECRET: secrets.linkSecret,
    SUPPRESSION_KEY: secrets.suppressionKey,
    TWILIO_ACCOUNT_SID: secrets.twilioAccountSid,
    TWILIO_AUTH_TOKEN: secrets.twilioAuthToken,
    TWILIO_FROM_NUMBER: '+15005550006',
    TWILIO_BASE_URL: sandbox.url,
    RESEND_API_KEY: secrets.resendApiKey,
    RESEND_BASE_URL: sandbox.url,
    RESEND_WEBHOOK_SECRET: secrets.resendWebhookSecret,
    PUBLIC_BASE_URL: apiUrl,
    PORT: String(ports.api),
    SMS_RATE_PER_SEC: '500',
    EMAIL_RATE_PER_SEC: '500',
    LOG_LEVEL: 'warn',
    // The flood scenario is meant to reach the handlers, not the rate limiter.
    RATE_LIMIT_PER_IP_PER_MIN: '1000000',
    RATE_LIMIT_PER_TOKEN_PER_MIN: '1000000',
    // Scenarios last minutes, not hours: statuses whose callbacks were lost are asked about after
    // 30 s, every 30 s (the production defaults are 30 and 5 minutes).
    ...CHAOS_RECONCILE_ENV,
  };
  const config = loadConfig({ ...process.env, ...env });
  const keys = payloadKeys(config);
  const temporalClient = await connectTemporalClient({
    address: temporal.address,
    namespace: 'default',
    keys,
  });
  const app = createApp({
    sql,
    temporal: temporalClient,
    config,
    // At warn, as the cluster's API processes log: a 503 names its cause ('dependency unavailable'),
    // which an intermittent one in flood-partner-webhooks did not at 'error'.
    log: createLogger({ level: 'warn', name: 'chaos-api' }),
    keys,
    publicBaseUrl: publicBaseUrl(config),
  });
  // 500s are bugs; 503s are honest answers while a dependency restarts, counted apart.
  const serverErrors = { count: 0, unavailable: 0 };
  const server = serve({
    fetch: app.fetch,
    createServer: app.createServer,
    hostname: '127.0.0.1',
    port: ports.api,
  });
  // Every answer, the ones the Twilio status fast path gives without Hono included.
  server.on('request', (_req, res: ServerResponse) =>
    res.once('finish', () => {
      if (res.statusCode === 503) serverErrors.unavailable++;
      else if (res.statusCode >= 500) serverErrors.count++;
    }),
  );
  // As api/main.ts: idle kept-alive sockets stay open longer than the senders' pools keep them.
  keepConnectionsAlive(server as Server);
  const workers: Supervised = supervise({
    name: 'workers',
    command: resolve('node_modules/.bin/tsx'),
    args: ['workers/main.ts'],
    env: withWorkerNodeOptions({ ...process.env, ...env }),
    print: (line) => (/error|fatal/i.test(line) ? opts.log(line.slice(0, 300)) : undefined),
  });
  started.push(
    () => workers.stop(),
    () => new Promise((r) => server.close(r)),
  );
  const orgId = await createOrganization(sql, { name: 'chaos' });
  const { token } = await createToken(sql, { orgId, role: 'organizer' });
  const partner = await createPartner(sql, { orgId, name: 'chaos partner' });

  return {
    sql,
    apiUrl,
    sandboxUrl: sandbox.url,
    secrets,
    orgId,
    token,
    partner,
    serverErrors,
    workers,
    async restartTemporal(downMs: number) {
      await temporal.stop();
      await new Promise((r) => setTimeout(r, downMs));
      temporal = await startTemporalDevServer(temporalOpts);
    },
    async restartPostgres(downMs: number) {
      await pg.stop();
      await new Promise((r) => setTimeout(r, downMs));
      pg = await startPg();
    },
    async stop() {
      await workers.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await temporalClient.connection.close().catch(() => {});
      await sandbox.close();
      await sql.end({ timeout: 2 }).catch(() => {});
      await temporal.stop();
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stack every scenario acts on; `cluster` only on the production-shaped cluster (`--cluster`). */
export type ChaosStack = Awaited<ReturnType<typeof startChaosStack>> & {
  cluster?: import('./cluster-chaos').ClusterChaos;
};
