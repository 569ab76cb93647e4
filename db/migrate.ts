import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './client';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant works; it only has to be the same for every process running migrations.
const MIGRATION_LOCK_ID = 727_004_2;

/**
 * Applies forward-only migrations in one transaction. A transaction-level advisory lock
 * serialises concurrent starters: the second waits, then finds nothing left to do. `upTo` (a
 * version such as '016_organization_stage_templates') stops after that one: tests of a migration
 * on an existing database build the schema before it.
 */
export async function migrate(sql: Sql, opts: { upTo?: string } = {}): Promise<string[]> {
  const files = (await readdir(migrationsDir))
    .filter((f) => f.endsWith('.sql') && (opts.upTo === undefined || f.replace(/\.sql$/, '') <= opts.upTo))
    .sort();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
    await tx`create table if not exists schema_migrations (
      version text primary key,
      applied_at timestamptz not null default now()
    )`;
    const done = new Set(
      (await tx<{ version: string }[]>`select version from schema_migrations`).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      await tx.unsafe(await readFile(`${migrationsDir}${file}`, 'utf8'));
      await tx`insert into schema_migrations (version) values (${version})`;
      applied.push(version);
    }
    return applied;
  });
}
