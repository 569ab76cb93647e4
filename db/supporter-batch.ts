import type { Sql } from './client';
import { type NormalizedSupporter, upsertSupporter } from './supporters';

// Unique violations from a concurrent writer, or a serialization failure: the whole batch is redone.
const RETRYABLE = new Set(['23505', '25P02', '40001', '40P01']);

const contactKeys = (s: NormalizedSupporter) => [
  ...(s.phone ? [`p:${s.phone}`] : []),
  ...(s.email ? [`e:${s.email.toLowerCase()}`] : []),
];

/**
 * Splits rows into waves in which no two rows share a phone or email; a row comes after every
 * earlier row it shares one with, so later rows in a file update what earlier ones created.
 */
export function contactWaves<T>(rows: T[], keys: (row: T) => string[]): T[][] {
  const out: T[][] = [];
  const lastWave = new Map<string, number>();
  for (const row of rows) {
    const ks = keys(row);
    const wave = Math.max(-1, ...ks.map((k) => lastWave.get(k) ?? -1)) + 1;
    const members = out[wave] ?? [];
    members.push(row);
    out[wave] = members;
    for (const k of ks) lastWave.set(k, wave);
  }
  return out;
}

/**
 * Upserts many supporters in one transaction with the same rules as one API upsert; the rows of a
 * wave are sent together (pipelined on the transaction's connection). Returns `created` per row.
 */
export async function upsertSupporterBatch(
  sql: Sql,
  orgId: string,
  rows: NormalizedSupporter[],
): Promise<boolean[]> {
  const indexed = rows.map((s, i) => ({ s, i }));
  const waves = contactWaves(indexed, (r) => contactKeys(r.s));
  for (let attempt = 0; ; attempt++) {
    try {
      return await sql.begin(async (tx) => {
        // upsertSupporter only uses the tagged template, which a transaction has too.
        const q = tx as unknown as Sql;
        const created = new Array<boolean>(rows.length).fill(false);
        for (const wave of waves) {
          await Promise.all(
            wave.map(async ({ s, i }) => {
              created[i] = (await upsertSupporter(q, orgId, s)).created;
            }),
          );
        }
        return created;
      });
    } catch (err) {
      if (RETRYABLE.has((err as { code?: string }).code ?? '') && attempt < 3) continue;
      throw err;
    }
  }
}
