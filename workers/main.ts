import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { payloadKeys, required } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { temporalConnection } from '../core/temporal-connection';
import { connectDatabase } from '../db/client';
import { ensureMonthPartitions } from '../db/partitions';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';
import { createEmailFromConfig, createSmsFromConfig } from './channels';
import { createWorkers, type WorkerRole } from './create-workers';
import { freeLoopbackPort, startWorkerProbeServer } from './metrics-server';
import { ensureReconcileSchedule } from './reconcile-schedule';
import { sdkLogger } from './sdk-logger';

// Entry point for the orchestrator and delivery workers; WORKER_ROLES picks which run in this process.
async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'workers' });
  guardPostgresClosedSocketWrites((m) => log.warn(m));
  // The SDK's own lifecycle lines only at debug; its warnings and errors always. Same format as ours.
  // With METRICS_PORT, the SDK exports its own metrics (temporal_*) on a loopback port, and our
  // /metrics appends them: one scrape per process.
  const sdkMetricsPort =
    config.METRICS_PORT === undefined
      ? undefined
      : (config.TEMPORAL_METRICS_PORT ?? (await freeLoopbackPort()));
  Runtime.install({
    logger: sdkLogger(log, ['debug', 'trace'].includes(config.LOG_LEVEL) ? 'DEBUG' : 'WARN'),
    ...(sdkMetricsPort === undefined
      ? {}
      : {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}`, countersTotalSuffix: true },
            },
          },
        }),
  });
  const roles = config.WORKER_ROLES.split(',').map((r) => r.trim()) as WorkerRole[];
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
  });
  // The send-time consent check only (WorkerDeps.sendCheckSql).
  const sendCheckSql = roles.includes('sms')
    ? await connectDatabase(required(config, 'DATABASE_URL'), {
        connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
        max: 2,
        genericPlans: true,
      })
    : undefined;
  // The monthly partitions of this month and the next ones (the reconciliation Schedule keeps them ahead).
  const partitions = await ensureMonthPartitions(sql);
  if (partitions.length > 0) log.info({ created: partitions }, 'monthly partitions created');
  // TLS, mTLS or a Temporal Cloud API key when the environment names them (core/temporal-connection.ts).
  const connection = await NativeConnection.connect(temporalConnection());
  const workers = await createWorkers(roles, {
    config,
    sql,
    sendCheckSql,
    connection,
    sms: () => createSmsFromConfig(config),
    email: () => createEmailFromConfig(config),
    log,
  });
  const probes =
    config.METRICS_PORT === undefined
      ? undefined
      : await startWorkerProbeServer({
          host: config.METRICS_HOST,
          port: config.METRICS_PORT,
          workers: () => workers,
          sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
          token: config.METRICS_TOKEN,
        });
  if (roles.includes('orchestrator')) {
    // Idempotent: every orchestrator process creates it or brings it to RECONCILE_EVERY_MINUTES.
    const client = await connectTemporalClient({
      ...temporalConnection(),
      namespace: config.TEMPORAL_NAMESPACE,
      keys: payloadKeys(config),
    });
    const schedule = await ensureReconcileSchedule(client, config.RECONCILE_EVERY_MINUTES);
    await client.connection.close();
    log.info({ schedule }, 'reconciliation schedule ready');
  }
  log.info({ roles, metricsPort: probes?.port }, 'workers started');
  try {
    // The SDK's Runtime turns SIGINT/SIGTERM into Worker.shutdown(): polling stops (readyz 503),
    // activities in flight get WORKER_SHUTDOWN_GRACE_SECONDS, then run() resolves.
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    probes?.close();
    await sql.end({ timeout: 5 });
    await sendCheckSql?.end({ timeout: 5 });
    await connection.close();
  }
  log.info('workers stopped');
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
