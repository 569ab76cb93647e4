import postgres from 'postgres';

export type Sql = postgres.Sql;

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

// postgres.js 3.4.9 also kept a closed connection's state across a reconnect: its query and last
// error (the first query after a PostgreSQL restart failed with the old error) and a write queued
// when it closed (the start-up message was never sent: CONNECT_TIMEOUT on every later use of that
// pooled connection); and a transaction's query after its connection closed was never answered.
// Patched at install (patches/postgres+3.4.9.patch; test/e2e/postgres-restart-pool.test.ts,
// test/e2e/postgres-closed-connection.test.ts).
// postgres.js 3.4.9 skips reserving a transaction's connection when BEGIN fills a connection's
// pipeline (porsager/postgres#823, #1189): UNSAFE_TRANSACTION, and a transaction left open for
// other queries. A pipeline that never fills avoids that boundary. (Supported, but not in its types.)
const PIPELINE = { max_pipeline: 1_000_000 } as unknown as Record<string, never>;

/**
 * Opens a pool and proves it works, failing with one clear line within the connect timeout.
 * `genericPlans`: every statement of the pool is planned once per connection
 * (plan_cache_mode = force_generic_plan), for a pool that runs only hot statements whose custom
 * plans cost more to make than to run (the API's status-callback batches, db/sms-status-batch.ts;
 * the SMS workers' send-time consent check, db/delivery-claims.ts mayTextNow).
 */
export async function connectDatabase(
  url: string,
  opts: { connectTimeoutS: number; max?: number; genericPlans?: boolean },
): Promise<Sql> {
  const sql = postgres(url, {
    connect_timeout: opts.connectTimeoutS,
    max: opts.max ?? 10,
    ...PIPELINE,
    ...(opts.genericPlans ? { connection: { plan_cache_mode: 'force_generic_plan' } } : {}),
    onnotice: () => {},
  });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const host = safeHost(url);
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseUnreachableError(`cannot reach PostgreSQL at ${host}: ${reason}`);
  }
  return sql;
}

// The URL may carry a password: only host and database go into messages.
function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Plain data (no undefined, dates as strings) in the type postgres.js wants for a jsonb parameter. */
export function jsonb(value: unknown): postgres.JSONValue {
  return JSON.parse(JSON.stringify(value ?? null)) as postgres.JSONValue;
}
