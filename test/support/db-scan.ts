import type { Sql } from '../../db/client';

/** Every text, jsonb and array column of every table, searched for each needle: where it is stored. */
export async function tablesContaining(sql: Sql, needles: string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'jsonb', 'character varying', 'ARRAY')`;
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from ${sql(table_name)}
        where ${sql(column_name)}::text ilike ${`%${needle}%`}`;
      if (row!.n > 0) hits.push(`${table_name}.${column_name} holds ${needle}`);
    }
  }
  return hits;
}
