import { join, resolve } from 'node:path';
import { startSandbox } from '../channels/sandbox/server';
import { connectDatabase, type Sql } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import type { DevSecrets } from './dev-secrets';
import { type TrackedProcess, trackedProcess } from './process-identity';
import { startTemporalDevServer } from './temporal-dev-server';

export interface LocalStackOptions {
  dataDir: string;
  temporalCli: string;
  temporalPort: number;
  temporalUiPort: number;
  /** No Web UI (tests). */
  headless?: boolean;
  databaseUrl?: string;
  embeddedPgPort: number;
  /** Settings of the embedded PostgreSQL server (see db/embedded.ts). */
  embeddedPgSettings?: Record<string, string>;
  connectTimeoutS: number;
  /** Where the sandbox posts status and inbound webhooks. */
  apiBaseUrl: string;
  sandboxPort?: number;
  secrets: DevSecrets;
  codecEndpoint?: string;
  log: (line: string) => void;
  /** Each server process as it starts, so that it can be stopped if this process dies (infra/process-guard.ts). */
  track?: (p: TrackedProcess) => void;
}

export interface LocalStack {
  databaseUrl: string;
  sql: Sql;
  temporalAddress: string;
  temporalUiUrl: string | null;
  sandboxUrl: string | null;
  /** The environment the API and workers need to reach all of the above. */
  env: Record<string, string>;
  temporalProcess: import('node:child_process').ChildProcess;
  stop(): Promise<void>;
}

/** PostgreSQL (given or embedded, migrated), the Temporal dev server and the provider sandbox. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => opts.log(`stop failed: ${String(err)}`));
  };
  try {
    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      opts.log(`starting embedded PostgreSQL (data in ${join(opts.dataDir, 'pg')})`);
      const pg = await startEmbeddedPostgres({
        dataDir: join(opts.dataDir, 'pg'),
        port: opts.embeddedPgPort,
        ...(opts.embeddedPgSettings ? { settings: opts.embeddedPgSettings } : {}),
      });
      stops.push(pg.stop);
      if (pg.pid) opts.track?.(trackedProcess('PostgreSQL', pg.pid, { signal: 'SIGINT' }));
      databaseUrl = pg.url;
    }
    const sql = await connectDatabase(databaseUrl, { connectTimeoutS: opts.connectTimeoutS });
    stops.push(() => sql.end({ timeout: 5 }));
    const applied = await migrate(sql);
    if (applied.length) opts.log(`applied migrations: ${applied.join(', ')}`);

    opts.log('starting Temporal dev server');
    const temporal = await startTemporalDevServer({
      cliPath: opts.temporalCli,
      dbFile: resolve(opts.dataDir, 'temporal.db'),
      port: opts.temporalPort,
      uiPort: opts.temporalUiPort,
      headless: opts.headless,
      codecEndpoint: opts.codecEndpoint,
      log: opts.log,
      onSpawn: (pid) => opts.track?.(trackedProcess('Temporal dev server', pid)),
    });
    stops.push(temporal.stop);

    const s = opts.secrets;
    const sandbox = await startSandbox({
      port: opts.sandboxPort ?? 0,
      accountSid: s.twilioAccountSid,
      authToken: s.twilioAuthToken,
      resendWebhookSecret: s.resendWebhookSecret,
      apiBaseUrl: opts.apiBaseUrl,
      publicBaseUrl: opts.apiBaseUrl,
    });
    stops.push(sandbox.close);

    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
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
      PUBLIC_BASE_URL: opts.apiBaseUrl,
    };
    return {
      databaseUrl,
      sql,
      temporalAddress: temporal.address,
      temporalUiUrl: opts.headless ? null : temporal.uiUrl,
      sandboxUrl: sandbox.url,
      env,
      temporalProcess: temporal.process,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
