import type { Sql } from '../db/client';
import { createOrganization, createToken } from '../db/tenants';

/** The i-th synthetic supporter's number (1-based): +1555 and seven digits, unique and valid E.164. */
export const benchPhone = (i: number) => `+1555${String(i).padStart(7, '0')}`;

export interface SeededOrg {
  orgId: string;
  token: string;
  recipients: number;
  seedMs: number;
}

/**
 * A fresh organization with an organizer token and `count` SMS-consenting supporters, in one
 * INSERT … SELECT generate_series. Every other one reads Khmer (UCS-2, longer bodies). Their numbers
 * are benchPhone(first) … benchPhone(first + count - 1) (`first` 1 unless given).
 */
export async function seedOrganization(
  sql: Sql,
  name: string,
  count: number,
  opts: { first?: number } = {},
): Promise<SeededOrg> {
  const first = opts.first ?? 1;
  const orgId = await createOrganization(sql, { name });
  const { token } = await createToken(sql, { orgId, role: 'organizer', label: 'bench' });
  const started = performance.now();
  await sql`
    insert into supporters (org_id, name, phone, locale, timezone, sms_consent)
    select ${orgId}, 'Supporter ' || i, '+1555' || lpad(i::text, 7, '0'),
      case when i % 2 = 0 then 'km' else 'en' end, 'Asia/Phnom_Penh', true
    from generate_series(${first}::int, ${first + count - 1}::int) as i`;
  await sql`analyze supporters`;
  return { orgId, token, recipients: count, seedMs: performance.now() - started };
}
