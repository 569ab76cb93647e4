import type { Sql } from '../../db/client';
import { createOrganization, createToken } from '../../db/tenants';

/** The i-th seeded supporter's number (1-based) when it has one: +1555 and seven digits, as bench/seed.ts. */
export const scalePhone = (i: number) => `+1555${String(i).padStart(7, '0')}`;
/** Seeded supporters with `i % NO_PHONE_EVERY = 0` have no phone (email only, or neither). */
export const NO_PHONE_EVERY = 12;

export const FIRST_NAMES = [
  'Sophea',
  'Dara',
  'Vannak',
  'Sokha',
  'Chenda',
  'Bopha',
  'Rithy',
  'Srey',
  'Piseth',
  'Kosal',
  'Channary',
  'Sovann',
  'Malis',
  'Vichet',
  'Sothea',
  'Kunthea',
  'Rachana',
  'Narith',
  'Sreymom',
  'Visal',
  'Chantrea',
  'Borey',
  'Leakena',
  'Makara',
  'Sopheap',
  'Thida',
  'Veasna',
  'Panha',
  'Ratana',
  'Samnang',
  'Maria',
  'John',
  'Linda',
  'David',
  'Anne',
  'Marc',
  'Julie',
  'Kevin',
  'Sarah',
  'Paul',
  'សុភា',
  'ដារា',
  'សុខា',
];
export const LAST_NAMES = [
  'Chan',
  'Sok',
  'Kim',
  'Heng',
  'Lim',
  'Meas',
  'Keo',
  'Nguon',
  'Phan',
  'Ly',
  'Chea',
  'Sam',
  'Som',
  'Touch',
  'Prak',
  'Oum',
  'Seng',
  'Pich',
  'Mao',
  'Yim',
  'Hem',
  'Khiev',
  'Tep',
  'Uch',
  'Van',
  'Nhem',
  'Chhim',
  'Martin',
  'Smith',
  'Nguyen',
  'Dubois',
  'Brown',
  'Taylor',
  'Ros',
  'Sao',
  'Long',
  'Duong',
  'Tan',
];

/**
 * How the seeded organization is mixed, in per-mille of supporters (deterministic from the row number;
 * the same numbers feed the bench's query terms and its README description).
 */
export const MIX = {
  /** A phone, except every NO_PHONE_EVERY-th (≈ 8 %). */
  email: 650,
  smsConsentOfPhones: 880,
  emailConsentOfEmails: 600,
  smsOptedOut: 30,
  emailOptedOut: 20,
  erased: 3,
  khmer: 600,
} as const;

/** Region tags (one each), and topic tags with their share in per-mille. */
export const REGION_TAGS = ['lowell', 'long-beach', 'paris', 'melbourne', 'phnom-penh', 'seattle', 'toronto'];
export const TOPIC_TAGS = [
  { tag: 'ua-network', perMille: 900 },
  { tag: 'students', perMille: 150 },
  { tag: 'partner-licadho', perMille: 100 },
  { tag: 'monks', perMille: 30 },
  { tag: 'lawyers', perMille: 20 },
  { tag: 'press', perMille: 10 },
] as const;
export const TIME_ZONES = [
  ['Asia/Phnom_Penh', 400],
  ['America/New_York', 160],
  ['America/Los_Angeles', 150],
  ['Europe/Paris', 100],
  ['Australia/Melbourne', 90],
  ['America/Toronto', 50],
  ['UTC', 50],
] as const;

export interface ScaleOrg {
  orgId: string;
  token: string;
  supporters: number;
  seedMs: number;
  analyzeMs: number;
}

/**
 * A fresh organization with `count` supporters of realistic variety (names in Latin and Khmer
 * script, emails for about 65 %, phones for about 92 %, sms/email consent mixes, opt-outs, a few
 * erased rows, a region tag each and skewed topic tags, seven time zones, 60 % Khmer readers,
 * created over three years), written by INSERT … SELECT generate_series in chunks of 100,000 (one
 * transaction each: WAL and memory stay bounded) with the table's secondary indexes dropped and
 * rebuilt after. `seedMs` is the inserts and the rebuild; `analyzeMs` the ANALYZE.
 */
export async function seedScaleOrganization(
  sql: Sql,
  name: string,
  count: number,
  log: (line: string) => void,
): Promise<ScaleOrg> {
  const orgId = await createOrganization(sql, { name });
  const { token } = await createToken(sql, { orgId, role: 'organizer', label: 'bench scale' });
  const started = performance.now();
  // Bulk load as a restore does: the table's secondary indexes (as the migrations define them, read
  // back from the catalog) are dropped, the rows written, and the indexes built again in one pass each.
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'supporters'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  for (const ix of indexes) await sql.unsafe(`drop index ${ix.name}`);
  const chunk = 100_000;
  const h = (salt: number) => sql.unsafe(`(abs(hashint4(i + ${salt})) % 1000)`);
  // A time zone by cumulative per-mille.
  let acc = 0;
  const zoneCase = TIME_ZONES.map(([zone, share]) => {
    acc += share;
    return `when ${'(abs(hashint4(i + 7)) % 1000)'} < ${acc} then '${zone}'`;
  }).join(' ');
  const topicArray = TOPIC_TAGS.map(
    (t, k) => `case when (abs(hashint4(i + ${100 + k})) % 1000) < ${t.perMille} then '${t.tag}' end`,
  ).join(', ');
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await sql`
      insert into supporters (org_id, name, phone, email, locale, timezone, timezone_source, tags,
        sms_consent, email_consent, sms_opted_out_at, email_opted_out_at, erased_at, created_at, updated_at)
      select ${orgId}, case when erased then null else first || ' ' || last end,
        case when erased or i % ${NO_PHONE_EVERY} = 0 then null else '+1555' || lpad(i::text, 7, '0') end,
        case when erased or ${h(3)} >= ${MIX.email} then null
          else lower(translate(first, ' ', '')) || '.' || lower(last) || i || '@example.org' end,
        case when ${h(5)} < ${MIX.khmer} then 'km' else 'en' end,
        ${sql.unsafe(`case ${zoneCase} else 'UTC' end`)}, 'given',
        case when erased then '{}'::text[] else array_remove(array[
          (${REGION_TAGS}::text[])[1 + abs(hashint4(i + 37)) % ${REGION_TAGS.length}], ${sql.unsafe(topicArray)}]::text[], null) end,
        ${h(11)} < ${MIX.smsConsentOfPhones}, ${h(13)} < ${MIX.emailConsentOfEmails},
        case when ${h(17)} < ${MIX.smsOptedOut} then now() - interval '30 days' end,
        case when ${h(19)} < ${MIX.emailOptedOut} then now() - interval '60 days' end,
        case when erased then now() end,
        now() - make_interval(secs => (${count} - i) * 90.0), now()
      from (
        select i, ${h(23)} < ${MIX.erased} as erased,
          (${FIRST_NAMES}::text[])[1 + abs(hashint4(i + 29)) % ${FIRST_NAMES.length}] as first,
          (${LAST_NAMES}::text[])[1 + abs(hashint4(i + 31)) % ${LAST_NAMES.length}] as last
        from generate_series(${from}::int, ${to}::int) as i
      ) g`;
    log(`scale: seeded ${to}/${count} supporters`);
  }
  log(`scale: rebuilding ${indexes.length} indexes of supporters`);
  await sql.unsafe("set maintenance_work_mem = '256MB'");
  for (const ix of indexes) await sql.unsafe(ix.def);
  const seedMs = performance.now() - started;
  const analyzeStarted = performance.now();
  await sql`analyze supporters`;
  return { orgId, token, supporters: count, seedMs, analyzeMs: performance.now() - analyzeStarted };
}
