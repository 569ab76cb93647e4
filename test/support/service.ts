import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import './quiet-runtime';
import { createApp } from '../../api/app';
import { type Config, loadConfig } from '../../core/config';
import { keepConnectionsAlive } from '../../core/keep-alive';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';
import { connectTemporalClient } from '../../core/temporal';
import { connectDatabase, type Sql } from '../../db/client';
import { createOrganization, createToken } from '../../db/tenants';
import { createEmailFromConfig, createSmsFromConfig } from '../../workers/channels';
import { createWorkers, type WorkerRole } from '../../workers/create-workers';
import { jsonInit, readAnswer } from './json-request';
import { eventually } from './sandbox-client';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

export interface Service {
  config: Config;
  sql: Sql;
  app: ReturnType<typeof createApp>;
  apiUrl: string;
  sandboxUrl: string;
  orgId: string;
  token: string;
  /** An owner-level (admin) token of the same organization: settings, members, tokens. */
  ownerToken: string;
  temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  workers: Worker[];
  /** JSON request to the running API with the organizer's token. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}

/**
 * The API (listening, so the sandbox's webhooks reach it) and the workers in this test process,
 * against the stack from global-setup, with a fresh organization.
 */
export async function startService(
  opts: { env?: Record<string, string>; roles?: WorkerRole[]; clock?: () => Date } = {},
): Promise<Service> {
  const env = inject('stackEnv');
  const port = inject('apiPort');
  const config = loadConfig({
    ...env,
    PORT: String(port),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SMS_RATE_PER_SEC: '2000',
    EMAIL_RATE_PER_SEC: '2000',
    ...opts.env,
  });
  const keys = payloadKeys(config);
  const log = createLogger({ level: config.LOG_LEVEL, name: 'test' });
  const sql = await connectDatabase(env.DATABASE_URL!, { connectTimeoutS: 10 });
  // Generic plans, as the API's status batches and the workers' send-time check get (api/main.ts, workers/main.ts).
  const genericPlanSql = await connectDatabase(env.DATABASE_URL!, {
    connectTimeoutS: 10,
    max: 2,
    genericPlans: true,
  });
  const temporal = await connectTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: 'default',
    keys,
  });
  const app = createApp({
    sql,
    statusSql: genericPlanSql,
    temporal,
    config,
    log,
    keys,
    publicBaseUrl: publicBaseUrl(config),
  });
  const server = serve({ fetch: app.fetch, createServer: app.createServer, hostname: '127.0.0.1', port });
  // As api/main.ts: with Node's 5 s default a poll sent as the server closes its idle socket is reset.
  keepConnectionsAlive(server as Server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers = await createWorkers(opts.roles ?? ['orchestrator', 'sms', 'email'], {
    config,
    sql,
    sendCheckSql: genericPlanSql,
    connection,
    sms: () => createSmsFromConfig(config),
    email: () => createEmailFromConfig(config),
    clock: opts.clock,
  });
  const running = workers.map((w) => w.run());
  const orgId = await createOrganization(sql, { name: `test org ${Date.now()}` });
  const { token } = await createToken(sql, { orgId, role: 'organizer' });
  const { token: ownerToken } = await createToken(sql, { orgId, role: 'admin' });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    config,
    sql,
    app,
    apiUrl,
    sandboxUrl: env.TWILIO_BASE_URL!,
    orgId,
    token,
    ownerToken,
    temporal,
    workers,
    async api(path, init = {}) {
      const headers = { authorization: `Bearer ${init.token ?? token}`, ...init.headers };
      const res = await fetch(
        `${apiUrl}${path}`,
        init.body === undefined
          ? { method: init.method ?? 'GET', headers }
          : jsonInit(init.body, { method: init.method, headers }),
      );
      const { status, body } = await readAnswer(res);
      return { status, body };
    },
    async stop() {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await connection.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await temporal.connection.close();
      await sql.end({ timeout: 5 });
      await genericPlanSql.end({ timeout: 5 });
    },
  };
}

/** Waits until the campaign has run every stage. */
export const campaignCompleted = (svc: Service, campaignId: string) =>
  eventually(
    () => svc.api(`/v1/campaigns/${campaignId}`),
    (r) => r.body.status === 'completed',
    'completion',
  );
