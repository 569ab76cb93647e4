import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { createApp } from '../../api/app';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';

// Child of bench/callback-cost/run.ts: the real API app, served with the status-callback fast path
// (`fast`) or through Hono alone (`hono`). The callbacks it gets move nothing (MessageStatus
// 'queued'), so neither PostgreSQL nor Temporal is reached: both clients are lazy and never connect.
// Prints `port <n>` when listening and `cpu <ms>` (process.cpuUsage, user + system) on each line it reads.

const mode = process.argv[2];
const config = loadConfig();
const app = createApp({
  sql: postgres('postgres://unused@127.0.0.1:9/unused', { max: 1 }),
  temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) }),
  config,
  log: createLogger({ level: config.LOG_LEVEL, name: 'api' }),
  keys: payloadKeys(config),
  publicBaseUrl: publicBaseUrl(config),
});
const server = serve(
  {
    fetch: app.fetch,
    createServer: mode === 'fast' ? app.createServer : createServer,
    hostname: '127.0.0.1',
    port: 0,
  },
  () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`),
);
process.stdin.on('data', () => {
  const u = process.cpuUsage();
  process.stdout.write(`cpu ${(u.user + u.system) / 1000}\n`);
});
