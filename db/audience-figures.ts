import type { AudienceRule } from '../domain/audience-rule';
import { audienceTagsWhere } from './audience-filter';
import type { Sql } from './client';
import type { ReachRow, SmsNameRow } from './reach';
import { reachable } from './reachable';

/** What the preview reads of one audience rule, in one statement (one scan of the rows it reads). */
export interface AudienceFigures {
  /** Supporters the rule admits, by locale and by which channels may reach them now. */
  reach: ReachRow[];
  /** The names of those an SMS reaches now, by locale, with how many carry each (erased rows have no phone). */
  names: SmsNameRow[];
  /** With a sample: the organization's rows the sample held (matched or not), the ratio estimate's base. */
  sampledRows?: number;
}

type Rule = Omit<AudienceRule, 'select'>;

// The grouping sets of the statement, told apart by grouping(email_ok, name): 1 = reach rows (name
// not grouped), 2 = names (email_ok not grouped), 3 = the grand total.
const REACH_SET = 1;
const NAMES_SET = 2;
const TOTAL_SET = 3;

interface Row {
  g: number;
  locale: 'en' | 'km';
  sms_ok: boolean;
  email_ok: boolean;
  has_contact: boolean;
  opted_out: boolean;
  name: string | null;
  n: number;
  m: number;
}

/**
 * A rule's reach rows and SMS names in ONE statement: the rows are read once and grouped two ways
 * (GROUPING SETS). Without `samplePercent` the organization's rows the rule admits are read (the tags
 * index serves a selective rule); with it (0 < p ≤ 100), that share of the table's pages
 * (TABLESAMPLE SYSTEM, the same pages on every call for a given share, so estimates of two rules
 * compare), and the same statement counts the organization's rows of the sample too (`sampledRows`),
 * so an estimate costs one round trip. Figures with a sample are the sample's counts, not scaled.
 */
export async function audienceFigures(
  sql: Sql,
  orgId: string,
  rule: Rule,
  samplePercent?: number,
): Promise<AudienceFigures> {
  const sampled = samplePercent !== undefined;
  const from = sampled
    ? sql`supporters s tablesample system (${samplePercent}::float4) repeatable (18)`
    : sql`supporters s`;
  const hit = audienceTagsWhere(sql, rule);
  const rows = await sql<Row[]>`
    select grouping(email_ok, name)::int as g, locale, sms_ok, email_ok, has_contact, opted_out, name,
      count(*) filter (where hit)::int as n, count(*)::int as m
    from (
      select s.locale, s.name,
        ${reachable(sql, 'sms')} as sms_ok,
        ${reachable(sql, 'email')} as email_ok,
        (s.phone is not null or s.email is not null) as has_contact,
        (s.sms_opted_out_at is not null or s.email_opted_out_at is not null
          or s.sms_suppressed_reason is not null or s.email_suppressed_reason is not null) as opted_out,
        ${sampled ? hit : sql`true`} as hit
      from ${from}
      where s.org_id = ${orgId} ${sampled ? sql`` : sql`and ${hit}`}
    ) x
    group by grouping sets ((locale, sms_ok, email_ok, has_contact, opted_out), (locale, sms_ok, name), ())
    having grouping(email_ok, name) = ${TOTAL_SET}
      or (count(*) filter (where hit) > 0 and (grouping(email_ok, name) = ${REACH_SET} or sms_ok))`;
  const reach: ReachRow[] = [];
  const names: SmsNameRow[] = [];
  let total = 0;
  for (const r of rows) {
    if (r.g === TOTAL_SET) total = r.m;
    else if (r.g === REACH_SET)
      reach.push({
        locale: r.locale,
        sms_ok: r.sms_ok,
        email_ok: r.email_ok,
        has_contact: r.has_contact,
        opted_out: r.opted_out,
        n: r.n,
      });
    else if (r.g === NAMES_SET) names.push({ locale: r.locale, name: r.name, n: r.n });
  }
  return sampled ? { reach, names, sampledRows: total } : { reach, names };
}

/**
 * audienceFigures over every row of the organization, as a background computation should read
 * them: in a transaction that uses no parallel workers, so that the scan takes one core (the other
 * stays free for the requests being answered meanwhile) instead of every core.
 */
export async function audienceFiguresOnOneCore(
  sql: Sql,
  orgId: string,
  rule: Rule,
): Promise<AudienceFigures> {
  const figures = await sql.begin(async (tx) => {
    await tx`set local max_parallel_workers_per_gather = 0`;
    // A transaction runs the same queries as the pool (postgres.js types it apart).
    return audienceFigures(tx as unknown as Sql, orgId, rule);
  });
  return figures as AudienceFigures;
}
