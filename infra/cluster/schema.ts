import { execFile } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import { type ClusterDatabase, sqlToolArgs } from './config';

/**
 * Creates Temporal's two databases on `db`'s server if they are missing and brings their schema to
 * the newest version the server module ships (`setup-schema -v 0.0`, then `update-schema` over
 * `schema/postgresql/v12/{temporal,visibility}/versioned`). Safe to run on every start: existing
 * databases only get `update-schema`, which applies nothing when they are current.
 * Throws with the tool's last output line when a step fails.
 */
export async function applyTemporalSchema(opts: {
  sqlTool: string;
  serverModuleDir: string;
  db: ClusterDatabase;
  log: (line: string) => void;
}): Promise<void> {
  const { db } = opts;
  const admin = postgres({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: 'postgres',
    max: 1,
    onnotice: () => {},
  });
  try {
    const schemaRoot = join(opts.serverModuleDir, 'schema', 'postgresql', 'v12');
    for (const [database, folder] of [
      [db.database, 'temporal'],
      [db.visibilityDatabase, 'visibility'],
    ] as const) {
      const [found] = await admin`select 1 as ok from pg_database where datname = ${database}`;
      if (!found) {
        opts.log(`creating database ${database} and its schema`);
        await run(opts.sqlTool, sqlToolArgs(db, database, ['create-database']));
        await run(opts.sqlTool, sqlToolArgs(db, database, ['setup-schema', '-v', '0.0']));
      }
      await run(
        opts.sqlTool,
        sqlToolArgs(db, database, ['update-schema', '-d', join(schemaRoot, folder, 'versioned')]),
      );
    }
  } finally {
    await admin.end({ timeout: 2 });
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (!err) return done();
      const said = `${stdout}\n${stderr}`.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      // The command names the database and step; the password is in the arguments, so not them.
      fail(
        new Error(
          `temporal sql tool ${args.slice(args.indexOf('--db') + 1).join(' ')} failed: ${said.slice(0, 500)}`,
        ),
      );
    });
  });
}

/**
 * Resolves once the first server process has written the cluster's metadata. On a fresh database
 * every process tries to write it at start, and all but one fail ("failed to initialize current
 * cluster metadata"): the first process must get there alone. Fails early if `dead()` says why.
 */
export async function waitForClusterMetadata(
  db: ClusterDatabase,
  timeoutMs: number,
  dead: () => string | null,
): Promise<void> {
  const sql = postgres({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    max: 1,
    onnotice: () => {},
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const why = dead();
      if (why) throw new Error(why);
      const [row] = await sql`select count(*)::int as n from cluster_metadata_info`;
      if ((row?.n ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the Temporal server wrote no cluster metadata within ${timeoutMs / 1000} s`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}
