import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createEmailDeliveryActivities } from '../activities/delivery-email';
import { createSmsDeliveryActivities } from '../activities/delivery-sms';
import { createOrchestratorActivities } from '../activities/orchestrator';
import { connectDatabase } from '../db/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { payloadKeys, publicBaseUrl, required } from '../infra/runtime';
import { dataConverter, TASK_QUEUES } from '../infra/temporal';
import { PAGE_SIZE } from '../workflows/campaign';
import { createEmailFromConfig, createSmsFromConfig } from './channels';
import { runUntilSignal } from './run-until-signal';

// Entry point for the orchestrator and delivery workers; WORKER_ROLES picks which run in this process.
const config = loadConfig();
const log = createLogger({ level: config.LOG_LEVEL, name: 'workers' });
const roles = new Set(config.WORKER_ROLES.split(',').map((r) => r.trim()));
const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
  connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
});
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const common = {
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: dataConverter(payloadKeys(config)),
};
const linkSecret = required(config, 'LINK_SECRET');
const base = publicBaseUrl(config);

const workers: Worker[] = [];
if (roles.has('orchestrator')) {
  workers.push(
    await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.orchestrator,
      workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
      activities: createOrchestratorActivities({ sql }),
    }),
  );
}
if (roles.has('sms')) {
  workers.push(
    await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.sms,
      // Pages start no faster than the rate allows a full page to go out: the limit holds across workers.
      maxTaskQueueActivitiesPerSecond: config.SMS_RATE_PER_SEC / PAGE_SIZE,
      activities: createSmsDeliveryActivities({
        sql,
        sms: createSmsFromConfig(config),
        linkSecret,
        publicBaseUrl: base,
        ratePerSec: config.SMS_RATE_PER_SEC,
        concurrency: 8,
        clock: () => new Date(),
      }),
    }),
  );
}
if (roles.has('email')) {
  workers.push(
    await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.email,
      maxTaskQueueActivitiesPerSecond: config.EMAIL_RATE_PER_SEC / PAGE_SIZE,
      activities: createEmailDeliveryActivities({
        sql,
        email: createEmailFromConfig(config),
        from: config.RESEND_FROM,
        linkSecret,
        publicBaseUrl: base,
        ratePerSec: config.EMAIL_RATE_PER_SEC,
      }),
    }),
  );
}
log.info({ roles: [...roles] }, 'workers started');
await runUntilSignal(workers, async () => {
  await sql.end({ timeout: 5 });
  await connection.close();
});
