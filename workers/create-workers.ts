import { type NativeConnection, Worker } from '@temporalio/worker';
import { createEmailDeliveryActivities } from '../activities/delivery-email';
import { createSmsDeliveryActivities } from '../activities/delivery-sms';
import { createOrchestratorActivities } from '../activities/orchestrator';
import { createReconcileActivities } from '../activities/reconcile';
import { activityHeartbeat, createSurveyActivities } from '../activities/survey';
import type { EmailChannel } from '../channels/email-channel';
import type { SmsChannel } from '../channels/sms-channel';
import type { StatusLookup } from '../channels/status-lookup';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { linkBaseUrl, payloadKeys, publicBaseUrl, required, suppressionKeys } from '../core/runtime';
import { dataConverter } from '../core/temporal';
import type { Sql } from '../db/client';
import type { DeliveryChannel } from '../domain/channels';
import { TASK_QUEUES } from '../domain/task-queues';
import { createStatusLookupFromConfig } from './channels';
import { emailRateKey, pageStartsPerSecond, sharedPacer, smsRateKey } from './send-rates';
import { workflowsPath } from './workflows-path';

/** Reconciliation's activities (workflows/reconcile.ts) run on the orchestrator queue. */
function reconcileActivities(deps: WorkerDeps) {
  const { config } = deps;
  let lookup: StatusLookup | undefined;
  return createReconcileActivities({
    sql: deps.sql,
    lookup: () => {
      lookup ??= deps.lookup?.() ?? createStatusLookupFromConfig(config);
      return lookup;
    },
    keys: suppressionKeys(config),
    ratePerSec: config.RECONCILE_RATE_PER_SEC,
    afterMinutes: config.RECONCILE_AFTER_MINUTES,
    windowHours: config.RECONCILE_WINDOW_HOURS,
    parkedRetentionHours: config.PARKED_EVENT_RETENTION_HOURS,
    log: deps.log?.child({ queue: 'reconcile' }),
  });
}

export type WorkerRole = 'orchestrator' | DeliveryChannel;

export interface WorkerDeps {
  /** Where activities log what they decide (ids and counts only); silent when absent. */
  log?: Logger;
  config: Config;
  sql: Sql;
  /** The send-time consent check's pool, with generic plans (activities/delivery-sms.ts); default `sql`. */
  sendCheckSql?: Sql;
  connection: NativeConnection;
  sms: () => SmsChannel;
  email: () => EmailChannel;
  clock?: () => Date;
  /** Provider status lookups for reconciliation; default: the real SDKs from config. */
  lookup?: () => StatusLookup;
}

/** The orchestrator and delivery workers, one per role; entry points and tests build them the same way. */
export async function createWorkers(roles: Iterable<WorkerRole>, deps: WorkerDeps): Promise<Worker[]> {
  const { config, sql } = deps;
  const common = {
    connection: deps.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverter(payloadKeys(config)),
    // SIGTERM: stop polling, then in-flight activities get this long to finish (a page ends, or is
    // cancelled and hands back what it has not sent: the retry skips what is recorded).
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
  };
  const linkSecret = required(config, 'LINK_SECRET');
  const listKeys = suppressionKeys(config);
  const base = publicBaseUrl(config);
  const clock = deps.clock ?? (() => new Date());
  const workers: Worker[] = [];
  for (const role of new Set(roles)) {
    if (role === 'orchestrator') {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: TASK_QUEUES.orchestrator,
          ...(config.WORKFLOW_BUNDLE
            ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }
            : { workflowsPath }),
          activities: {
            ...createOrchestratorActivities({ sql, log: deps.log?.child({ queue: 'orchestrator' }) }),
            ...reconcileActivities(deps),
          },
        }),
      );
    } else if (role === 'sms') {
      // One SMS rate for every worker process (kept in PostgreSQL): stage pages and survey follow-ups share it.
      const smsPacer = sharedPacer(sql, smsRateKey(config), {
        channel: 'sms',
        perSecond: config.SMS_RATE_PER_SEC,
        tick: activityHeartbeat,
        log: deps.log?.child({ queue: 'sms' }),
      });
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: TASK_QUEUES.sms,
          // Every process sets the same page-start limit (DESIGN §5) and the shared rate paces the
          // sends of every process. DELIVERY_PAGES_PER_WORKER bounds what a process holds.
          maxTaskQueueActivitiesPerSecond: pageStartsPerSecond(config.SMS_RATE_PER_SEC),
          maxConcurrentActivityTaskExecutions: config.DELIVERY_PAGES_PER_WORKER,
          activities: createSmsDeliveryActivities({
            sql,
            sendCheckSql: deps.sendCheckSql,
            sms: deps.sms(),
            linkSecret,
            publicBaseUrl: base,
            linkBaseUrl: linkBaseUrl(config),
            ratePerSec: config.SMS_RATE_PER_SEC,
            pacer: smsPacer,
            concurrency: 8,
            clock,
            suppressionKeys: listKeys,
            log: deps.log?.child({ queue: 'sms' }),
          }),
        }),
      );
      // Survey follow-ups: small batches that must not wait behind the page queue's rate limit.
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: TASK_QUEUES.survey,
          maxConcurrentActivityTaskExecutions: 4,
          activities: createSurveyActivities({
            sql,
            sms: deps.sms(),
            publicBaseUrl: base,
            clock,
            suppressionKeys: listKeys,
            pacer: smsPacer,
          }),
        }),
      );
    } else {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: TASK_QUEUES.email,
          maxTaskQueueActivitiesPerSecond: pageStartsPerSecond(config.EMAIL_RATE_PER_SEC),
          maxConcurrentActivityTaskExecutions: config.DELIVERY_PAGES_PER_WORKER,
          activities: createEmailDeliveryActivities({
            sql,
            email: deps.email(),
            from: config.RESEND_FROM,
            linkSecret,
            publicBaseUrl: base,
            ratePerSec: config.EMAIL_RATE_PER_SEC,
            // Email's rate is shared by every worker process too.
            pacer: sharedPacer(sql, emailRateKey(config), {
              channel: 'email',
              perSecond: config.EMAIL_RATE_PER_SEC,
              tick: activityHeartbeat,
              log: deps.log?.child({ queue: 'email' }),
            }),
            suppressionKeys: listKeys,
            log: deps.log?.child({ queue: 'email' }),
          }),
        }),
      );
    }
  }
  return workers;
}
