import type { TransactionSql } from 'postgres';
import type { ContactKeys } from '../core/contact-key';
import type { DeliveryChannel } from '../domain/channels';
import type { SuppressionSource } from '../domain/suppression-sources';
import type { Sql } from './client';
import type { Queryable } from './queryable';
import { type NormalizedSupporter, SupporterConflict, upsertSupporter, writtenFields } from './supporters';
import { type ContactSuppressions, findSuppressions, overriddenConsent } from './suppressions';

/** One row to upsert; `key` is the caller's name for it (a CSV row number), echoed in `conflicts`. */
export interface BatchRow {
  key: number;
  value: NormalizedSupporter;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  /** Rows whose phone is one supporter's and email another's: nothing was written for them. */
  conflicts: number[];
  /** Written rows that claim consent on a channel whose contact is suppressed: opted out anyway. */
  suppressed: Array<{ key: number; channel: DeliveryChannel; source: SuppressionSource }>;
}

/** `listed`: the row's contacts on the suppression list, looked up once per batch. */
type Pending = BatchRow & { ord: number; listed: ContactSuppressions };

const RETRY_BATCH = new Set(['40001', '40P01']);
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export const contactKeys = (s: NormalizedSupporter) => [
  ...(s.phone ? [`p:${s.phone}`] : []),
  ...(s.email ? [`e:${s.email.toLowerCase()}`] : []),
];

/** The rows that share no phone or email with an earlier row of the list: safe to write together. */
export function firstWave<T>(rows: T[], keys: (row: T) => string[]): Set<T> {
  const taken = new Set<string>();
  const wave = new Set<T>();
  for (const row of rows) {
    const ks = keys(row);
    if (ks.every((k) => !taken.has(k))) wave.add(row);
    for (const k of ks) taken.add(k);
  }
  return wave;
}

/**
 * The supporters each row's phone or email already belongs to (at most two looked up): one is the
 * row to update, two is a conflict, as in upsertSupporter.
 */
async function match(tx: Queryable, orgId: string, rows: Pending[]) {
  const input = rows.map((r) => ({ ord: r.ord, phone: r.value.phone ?? null, email: r.value.email ?? null }));
  const found = await tx<{ ord: number; id: string; n: number }[]>`
    select i.ord, m.ids[1]::text as id, cardinality(m.ids) as n
    from jsonb_to_recordset(${JSON.stringify(input)}::text::jsonb) as i(ord int, phone text, email text)
    cross join lateral (
      select array(select s.id from supporters s where s.org_id = ${orgId} and s.erased_at is null
        and ((i.phone is not null and s.phone = i.phone) or (i.email is not null and lower(s.email) = lower(i.email)))
        limit 2) as ids
    ) m
    where cardinality(m.ids) > 0`;
  return new Map(found.map((f) => [f.ord, { id: f.id, conflict: f.n > 1 }]));
}

/** Updates matched rows and inserts the others in one statement, with upsertSupporter's rules. */
async function apply(tx: Queryable, orgId: string, rows: Array<Pending & { id: string | null }>) {
  const input = rows.map(({ id, value: s, listed }) => ({
    id,
    ...writtenFields(s),
    phone: s.phone ?? null,
    email: s.email ?? null,
    tags: s.tags,
    sms_out: listed.sms?.at.toISOString() ?? null,
    mail_out: listed.email?.at.toISOString() ?? null,
  }));
  const [counts] = await tx<{ created: number; updated: number }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::text::jsonb) as i(id uuid, name text, clear_name boolean,
        phone text, email text, locale text, timezone text, new_zone text, new_zone_source text, tags text[],
        sms boolean, mail boolean,
        sms_out timestamptz, mail_out timestamptz)
    ), updated as (
      update supporters s set
        name = case when i.clear_name then null else coalesce(i.name, s.name) end,
        phone = coalesce(i.phone, s.phone), email = coalesce(i.email, s.email),
        locale = coalesce(i.locale, s.locale), timezone = coalesce(i.timezone, s.timezone),
        timezone_source = case when i.timezone is null then s.timezone_source else 'given' end,
        tags = (select array(select distinct unnest(s.tags || i.tags))),
        sms_consent = coalesce(i.sms, s.sms_consent), email_consent = coalesce(i.mail, s.email_consent),
        sms_opted_out_at = coalesce(s.sms_opted_out_at, i.sms_out),
        email_opted_out_at = coalesce(s.email_opted_out_at, i.mail_out), updated_at = now()
      from input i where i.id is not null and s.id = i.id
      returning s.id
    ), inserted as (
      insert into supporters (org_id, name, phone, email, locale, timezone, timezone_source, tags, sms_consent,
        email_consent, sms_opted_out_at, email_opted_out_at)
      select ${orgId}, i.name, i.phone, i.email, coalesce(i.locale, 'en'), i.new_zone, i.new_zone_source, i.tags,
        coalesce(i.sms, false), coalesce(i.mail, false), i.sms_out, i.mail_out
      from input i where i.id is null
      returning id
    )
    select (select count(*) from inserted)::int as created, (select count(*) from updated)::int as updated`;
  return counts!;
}

/** The row was written: its consent claims on suppressed contacts are reported. */
function reportSuppressed(out: BatchOutcome, row: Pending) {
  for (const o of overriddenConsent(row.listed, row.value.consent))
    out.suppressed.push({ key: row.key, ...o });
}

/** Row by row, each in its own savepoint: isolates the row whose contacts clash with two supporters. */
async function oneByOne(
  tx: TransactionSql,
  orgId: string,
  keys: ContactKeys,
  rows: Pending[],
  out: BatchOutcome,
) {
  for (const row of rows) {
    try {
      // upsertSupporter only uses the tagged template, which a savepoint has too.
      const { created, listed } = await tx.savepoint((sp) =>
        upsertSupporter(sp as unknown as Sql, orgId, row.value, keys),
      );
      created ? out.created++ : out.updated++;
      reportSuppressed(out, { ...row, listed });
    } catch (err) {
      // A unique violation surfaces as SupporterConflict, or as 25P02 when its retry runs in the failed savepoint.
      const code = (err as { code?: string }).code;
      if (!(err instanceof SupporterConflict) && code !== '23505' && code !== '25P02') throw err;
      out.conflicts.push(row.key);
    }
  }
}

/**
 * Upserts many supporters in one transaction, a few statements per wave instead of two per row.
 * A wave holds rows that share no phone or email and update distinct supporters; the rest wait for
 * the next wave, so a later row of a file updates what an earlier one created.
 */
export async function upsertSupporterBatch(
  sql: Sql,
  orgId: string,
  rows: BatchRow[],
  keys: ContactKeys,
): Promise<BatchOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sql.begin(async (tx) => {
        const out: BatchOutcome = { created: 0, updated: 0, conflicts: [], suppressed: [] };
        const listedOf = await findSuppressions(
          tx,
          keys,
          rows.map((r) => r.value),
        );
        let pending: Pending[] = rows.map((r, ord) => ({ ...r, ord, listed: listedOf(r.value) }));
        while (pending.length > 0) {
          const wave = firstWave(pending, (r) => contactKeys(r.value));
          const found = await match(tx, orgId, [...wave]);
          const claimed = new Set<string>();
          const done = new Set<Pending>();
          const ready: Array<Pending & { id: string | null }> = [];
          for (const row of wave) {
            const m = found.get(row.ord);
            if (m?.conflict) {
              out.conflicts.push(row.key);
              done.add(row);
              continue;
            }
            const id = m?.id ?? null;
            // Another row of this wave updates the same supporter: this one waits for the next wave.
            if (id !== null && claimed.has(id)) continue;
            if (id !== null) claimed.add(id);
            ready.push({ ...row, id });
            done.add(row);
          }
          if (ready.length > 0) {
            try {
              const counts = await tx.savepoint((sp) => apply(sp, orgId, ready));
              out.created += counts.created;
              out.updated += counts.updated;
              for (const row of ready) reportSuppressed(out, row);
            } catch (err) {
              if (!isUniqueViolation(err)) throw err;
              await oneByOne(tx, orgId, keys, ready, out);
            }
          }
          pending = pending.filter((r) => !done.has(r));
        }
        return out;
      });
    } catch (err) {
      if (RETRY_BATCH.has((err as { code?: string }).code ?? '') && attempt < 3) continue;
      throw err;
    }
  }
}
