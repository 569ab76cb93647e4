import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { required } from '../core/runtime';
import { connectDatabase } from '../db/client';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';
import { createEmailFromConfig, createSmsFromConfig } from './channels';
import { createWorkers, type WorkerRole } from './create-workers';

// Entry point for the orchestrator and delivery workers; WORKER_ROLES picks which run in this process.
async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'workers' });
  guardPostgresClosedSocketWrites((m) => log.warn(m));
  // The SDK's own lifecycle lines only at debug; its warnings and errors always.
  Runtime.install({
    logger: new DefaultLogger(['debug', 'trace'].includes(config.LOG_LEVEL) ? 'DEBUG' : 'WARN'),
  });
  const roles = config.WORKER_ROLES.split(',').map((r) => r.trim()) as WorkerRole[];
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers = await createWorkers(roles, {
    config,
    sql,
    connection,
    sms: () => createSmsFromConfig(config),
    email: () => createEmailFromConfig(config),
  });
  log.info({ roles }, 'workers started');
  try {
    // The SDK shuts workers down gracefully on SIGINT/SIGTERM.
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await sql.end({ timeout: 5 });
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
