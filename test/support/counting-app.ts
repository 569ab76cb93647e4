import postgres from 'postgres';
import { inject } from 'vitest';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';
import type { Service } from './service';

/**
 * The service's app on a pool of its own that records every statement it sends (postgres.js
 * `debug`), for tests that count a request's round trips. `ours()` leaves out postgres.js's reading
 * of the array types, once per new connection: not a round trip of the request's. End it with `end()`.
 */
export function countingApp(svc: Service) {
  const statements: string[] = [];
  const sql = postgres(inject('stackEnv').DATABASE_URL!, {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query) => {
      statements.push(query);
    },
  });
  const app = createApp({
    sql,
    temporal: svc.temporal,
    config: svc.config,
    log: createLogger({ level: 'silent', name: 'test' }),
    keys: payloadKeys(svc.config),
    // The service's own public URL: signed webhooks posted to this app verify as they do there.
    publicBaseUrl: publicBaseUrl(svc.config),
  });
  return {
    app,
    /** Forgets what was recorded so far. */
    reset: () => {
      statements.length = 0;
    },
    ours: () => statements.filter((q) => !q.includes('pg_catalog.pg_type')),
    end: () => sql.end({ timeout: 5 }),
  };
}
