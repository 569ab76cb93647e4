import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../db/embedded';
import { freePort } from '../../infra/free-port';

// postgres.js 3.4.9 kept a connection's last query and PostgreSQL's last error across a reconnect:
// the first query on the new connection was rejected with the old error (57P01 "terminating
// connection due to administrator command" or 57P03 "the database system is shutting down"),
// seconds after PostgreSQL was back. The API answered such a request 503 (seen in chaos
// flood-partner-webhooks after postgres-restart). patches/postgres+3.4.9.patch starts each
// connection clean; this test fails without it.
describe('a PostgreSQL pool', () => {
  let dir: string;
  let port: number;
  let pg: EmbeddedDatabase;
  let sql: Sql;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campaigns-pg-restart-'));
    await chmod(dir, 0o755);
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });
    // One connection, so the query after the restart runs on the connection that lost the old one.
    sql = await connectDatabase(pg.url, { connectTimeoutS: 10, max: 1 });
  }, 120_000);

  afterAll(async () => {
    await sql?.end({ timeout: 1 }).catch(() => {});
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('with generic plans (the API status-callback batches), plans once per connection', async () => {
    const generic = await connectDatabase(pg.url, { connectTimeoutS: 10, max: 2, genericPlans: true });
    try {
      const modes = await Promise.all(
        [0, 1, 2].map(async () => (await generic`select current_setting('plan_cache_mode') as m`)[0]!.m),
      );
      expect(modes).toEqual(['force_generic_plan', 'force_generic_plan', 'force_generic_plan']);
      expect((await sql`select current_setting('plan_cache_mode') as m`)[0]!.m).toBe('auto');
    } finally {
      await generic.end({ timeout: 1 });
    }
  });

  it('answers the first query after the restart, not the error of the query the shutdown ended', async () => {
    const running = sql`select pg_sleep(10)`.then(
      () => 'finished',
      (err: { code?: string }) => err.code,
    );
    // The query is on the server when the fast shutdown terminates its backend.
    for (let i = 0; i < 100; i++) {
      const [row] = await pgActivity(pg.url);
      if (row) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await pg.stop();
    expect(await running, 'the shutdown ended the running query').not.toBe('finished');
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });

    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(
        await sql<{ n: number }[]>`select ${i}::int as n`.then(
          (rows) => rows[0]!.n,
          (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`,
        ),
      );
    }
    expect(answers).toEqual([0, 1, 2]);
  }, 120_000);
});

/** The backends running pg_sleep, seen from a connection of its own. */
async function pgActivity(url: string) {
  const probe = await connectDatabase(url, { connectTimeoutS: 5, max: 1 });
  try {
    return await probe`select pid from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'`;
  } finally {
    await probe.end({ timeout: 1 });
  }
}
