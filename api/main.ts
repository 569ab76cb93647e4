import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from '../core/config';
import { keepConnectionsAlive } from '../core/keep-alive';
import { createLogger } from '../core/logger';
import { payloadKeys, publicBaseUrl, required, suppressionKeys } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { temporalConnection } from '../core/temporal-connection';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrate';
import { backfillSuppressions } from '../db/suppression-backfill';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';
import { createApp } from './app';

// Entry point of the HTTP API.
async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  guardPostgresClosedSocketWrites((m) => log.warn(m));
  const keys = payloadKeys(config);
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    max: config.API_DATABASE_POOL_MAX,
  });
  // Status-callback batches only (AppDeps.statusSql): one batch is written at a time.
  const statusSql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    max: 2,
    genericPlans: true,
  });
  // Forward-only and advisory-locked: every API instance may run this at start.
  await migrate(sql);
  // Opt-outs from before the suppression list; a no-op once done for this sender.
  const backfilled = await backfillSuppressions(sql, suppressionKeys(config));
  if (backfilled.sms + backfilled.email > 0) log.info({ backfilled }, 'suppression list backfilled');
  const temporal = await connectTemporalClient({
    ...temporalConnection(),
    namespace: config.TEMPORAL_NAMESPACE,
    keys,
  });
  let draining = false;
  const app = createApp({
    sql,
    statusSql,
    temporal,
    config,
    log,
    keys,
    publicBaseUrl: publicBaseUrl(config),
    draining: () => draining,
  });
  const server = serve(
    { fetch: app.fetch, createServer: app.createServer, hostname: config.HOST, port: config.PORT },
    (info) => {
      log.info({ port: info.port }, 'api listening');
    },
  );
  keepConnectionsAlive(server as Server);
  // Stops accepting connections, lets requests in flight finish (server.close waits for them), then exits 0.
  const shutdown = () => {
    draining = true;
    server.close(() => {
      void Promise.allSettled([
        sql.end({ timeout: 5 }),
        statusSql.end({ timeout: 5 }),
        temporal.connection.close(),
      ]).then(() => process.exit(0));
    });
    // Keep-alive connections idle in a client's pool would hold close() open: end them.
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
