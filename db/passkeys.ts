import type { Queryable } from './queryable';

export interface StoredPasskey {
  id: string;
  personId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

type Row = {
  id: string;
  person_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
};
const passkey = (r: Row): StoredPasskey => ({
  id: r.id,
  personId: r.person_id,
  publicKey: new Uint8Array(r.public_key),
  counter: Number(r.counter),
  transports: r.transports,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function addPasskey(
  sql: Queryable,
  p: {
    id: string;
    personId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    name: string;
  },
) {
  await sql`insert into passkeys (id, person_id, public_key, counter, transports, name)
    values (${p.id}, ${p.personId}, ${Buffer.from(p.publicKey)}, ${p.counter}, ${p.transports}, ${p.name})`;
}

export async function findPasskey(sql: Queryable, id: string): Promise<StoredPasskey | undefined> {
  const [row] = await sql<Row[]>`select * from passkeys where id = ${id}`;
  return row ? passkey(row) : undefined;
}

export async function listPasskeys(sql: Queryable, personId: string): Promise<StoredPasskey[]> {
  return (await sql<Row[]>`select * from passkeys where person_id = ${personId} order by created_at`).map(
    passkey,
  );
}

/**
 * Records a use: the new signature counter and the time. The update only matches while the stored
 * counter is the one verified against, so two uses of one response cannot both succeed.
 */
export async function usePasskey(sql: Queryable, id: string, oldCounter: number, newCounter: number) {
  const rows = await sql`update passkeys set counter = ${newCounter}, last_used_at = now()
    where id = ${id} and counter = ${oldCounter}`;
  return rows.count === 1;
}

export async function removePasskey(sql: Queryable, personId: string, id: string) {
  const rows = await sql`delete from passkeys where id = ${id} and person_id = ${personId}`;
  return rows.count === 1;
}
