import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './queryable';

export const RECOVERY_CODE_COUNT = 10;
const hash = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest();

/** Replaces a person's recovery codes with ten new ones (`xxxxx-xxxxx`, base32); returns them once. */
export async function newRecoveryCodes(sql: Queryable, personId: string): Promise<string[]> {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => alphabet[b % 32]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  await sql`delete from recovery_codes where person_id = ${personId}`;
  for (const code of codes)
    await sql`insert into recovery_codes (person_id, code_hash) values (${personId}, ${hash(code)})`;
  return codes;
}

/** Uses a code once: true only the first time an unused code of this person is given. */
export async function consumeRecoveryCode(sql: Queryable, personId: string, code: string): Promise<boolean> {
  const rows = await sql`update recovery_codes set used_at = now()
    where person_id = ${personId} and code_hash = ${hash(code)} and used_at is null`;
  return rows.count === 1;
}

export async function unusedRecoveryCodes(sql: Queryable, personId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from recovery_codes where person_id = ${personId} and used_at is null`;
  return row!.n;
}
