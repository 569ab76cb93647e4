import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../db/embedded';
import { freePort } from '../../infra/free-port';

// postgres.js 3.4.9 queues small writes for the next turn of the event loop. When a connection
// closed with such a write queued (PostgreSQL restarting under load), the queue stayed marked busy,
// so the connection's next start-up message was never sent: every later use of that pooled
// connection waited the whole connect timeout and failed with CONNECT_TIMEOUT (seen in chaos
// flood-partner-webhooks, minutes after postgres-restart, with no event in PostgreSQL's log). A
// transaction's query after its connection closed was never answered, or threw from a timer where
// no caller could catch it. patches/postgres+3.4.9.patch fixes both; these tests fail without it.
// The driver's public `socket` option hands the test each connection's socket, so the close lands
// exactly where a restart under load puts it.
describe('a PostgreSQL connection that closed', () => {
  let dir: string;
  let pg: EmbeddedDatabase;
  let sql: postgres.Sql;
  let sockets: net.Socket[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campaigns-pg-closed-'));
    await chmod(dir, 0o755);
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  }, 120_000);

  afterEach(async () => {
    await sql?.end({ timeout: 1 }).catch(() => {});
  });

  afterAll(async () => {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** One connection (so every query meets the one that closed), a short connect timeout. */
  const openPool = () => {
    sockets = [];
    const url = new URL(pg.url);
    const socket = async () => {
      const s = net.connect(Number(url.port), url.hostname);
      await once(s, 'connect');
      sockets.push(s);
      return s;
    };
    sql = postgres(pg.url, {
      max: 1,
      connect_timeout: 3,
      onnotice: () => {},
      // In postgres.js's README ("Custom socket"), not in its types.
      ...({ socket } as unknown as Record<string, never>),
    });
    return sql;
  };
  const code = (err: { code?: string; message?: string }) => err.code ?? err.message;

  it('with a write queued when it closed, starts clean and answers the next query', async () => {
    const sql = openPool();
    expect((await sql<{ n: number }[]>`select 1::int as n`)[0]!.n).toBe(1);
    // Queue the query's write inside one turn of the event loop and close the socket in the same
    // turn: the close is handled before the queued write runs, as when the server's close and a
    // new query meet under load.
    const lost = await new Promise<unknown>((resolve) =>
      setImmediate(() => {
        resolve(sql`select 2`.then(() => 'answered', code));
        sockets.at(-1)!.destroy();
      }),
    );
    expect(lost).toBe('CONNECTION_CLOSED');

    const next = await sql<{ n: number }[]>`select 3::int as n`.then((rows) => rows[0]!.n, code);
    expect(next, 'the reconnected connection sent its start-up message').toBe(3);
    expect(sockets).toHaveLength(2);
  }, 30_000);

  it("rejects a transaction's query after its connection closed, and the pool goes on", async () => {
    const sql = openPool();
    let second: Promise<unknown> | undefined;
    const inside = await sql
      .begin(async (tx) => {
        await tx`select 1`;
        const socket = sockets.at(-1)!;
        socket.destroy();
        await once(socket, 'close');
        second = tx`select 2`.then(() => 'answered', code);
        return second;
      })
      .catch((err: { code?: string }) => `begin: ${code(err)}`);
    expect(inside).toMatch(/CONNECTION_CLOSED/);
    // The transaction's own query, not only the transaction, gets an answer.
    const unanswered = new Promise((r) => setTimeout(() => r('unanswered after 2 s'), 2000));
    expect(await Promise.race([second, unanswered])).toBe('CONNECTION_CLOSED');

    const next = await sql<{ n: number }[]>`select 3::int as n`.then((rows) => rows[0]!.n, code);
    expect(next).toBe(3);
  }, 30_000);
});
