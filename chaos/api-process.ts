import type { Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app';
import { loadConfig } from '../core/config';
import { keepConnectionsAlive } from '../core/keep-alive';
import { createLogger } from '../core/logger';
import { payloadKeys, publicBaseUrl, required } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { connectDatabase } from '../db/client';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';

// One API process of the chaos cluster: the real app (api/app.ts) as api/main.ts serves it, plus a
// count of the 5xx it answered at GET /__chaos/server-errors, read by the harness (chaos/cluster-stack.ts).
// 500s are bugs; 503s are honest answers while a dependency restarts, counted apart.
const COUNTS_PATH = '/__chaos/server-errors';

async function main() {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: 'chaos-api' });
  guardPostgresClosedSocketWrites((m) => log.warn(m));
  const keys = payloadKeys(config);
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
  });
  const statusSql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    max: 2,
    genericPlans: true,
  });
  const temporal = await connectTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    keys,
  });
  const app = createApp({
    sql,
    statusSql,
    temporal,
    config,
    log,
    keys,
    publicBaseUrl: publicBaseUrl(config),
  });
  const counts = { count: 0, unavailable: 0 };
  const server = serve({
    fetch: (req) => (new URL(req.url).pathname === COUNTS_PATH ? Response.json(counts) : app.fetch(req)),
    createServer: app.createServer,
    hostname: config.HOST,
    port: config.PORT,
  });
  // Every answer, the ones the Twilio status fast path gives without Hono included.
  server.on('request', (_req, res: ServerResponse) =>
    res.once('finish', () => {
      if (res.statusCode === 503) counts.unavailable++;
      else if (res.statusCode >= 500) counts.count++;
    }),
  );
  // As api/main.ts: idle kept-alive sockets stay open longer than the senders' pools keep them.
  keepConnectionsAlive(server as Server);
  const shutdown = () => process.exit(0);
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
