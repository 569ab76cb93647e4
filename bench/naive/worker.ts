import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPacer } from '../../activities/pacer';
import { loadConfig } from '../../core/config';
import { payloadKeys, publicBaseUrl, required } from '../../core/runtime';
import { dataConverter } from '../../core/temporal';
import { connectDatabase } from '../../db/client';
import { createSmsFromConfig } from '../../workers/channels';
import { createNaiveActivities } from './activities';
import { NAIVE_TASK_QUEUE } from './task-queue';

/** In-flight sends, as the campaign's SMS activity allows itself. */
const CONCURRENCY = 8;

// Child process of the naive phase: workflows and activities of the one-workflow-per-recipient pattern.
async function main() {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), { connectTimeoutS: 10 });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: NAIVE_TASK_QUEUE,
    dataConverter: dataConverter(payloadKeys(config)),
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    maxConcurrentActivityTaskExecutions: CONCURRENCY,
    maxTaskQueueActivitiesPerSecond: config.SMS_RATE_PER_SEC,
    activities: createNaiveActivities({
      sql,
      sms: createSmsFromConfig(config),
      pace: createPacer(config.SMS_RATE_PER_SEC),
      linkSecret: required(config, 'LINK_SECRET'),
      publicBaseUrl: publicBaseUrl(config),
    }),
  });
  try {
    await worker.run();
  } finally {
    await sql.end({ timeout: 5 });
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
