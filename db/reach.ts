/**
 * The rows a preview reads of an audience rule (db/audience-figures.ts reads them in one statement)
 * and the organization's size that decides how a preview is made (api/services/preview-source.ts).
 */
import type { Sql } from './client';

/** Supporters an audience rule admits with one locale and one combination of what may reach them now. */
export interface ReachRow {
  locale: 'en' | 'km';
  sms_ok: boolean;
  email_ok: boolean;
  has_contact: boolean;
  opted_out: boolean;
  n: number;
}

/** How many SMS recipients of a rule carry this name, in this locale (the preview renders each name). */
export interface SmsNameRow {
  locale: 'en' | 'km';
  name: string | null;
  n: number;
}

/**
 * Supporters of the organization (erased included: the rows a scan reads). Counted without parallel
 * workers: it is refreshed in the background (api/services/preview-source.ts) and takes one core, not
 * every core, from the requests answered meanwhile.
 */
export async function organizationSize(sql: Sql, orgId: string): Promise<number> {
  const [row] = await sql.begin(async (tx) => {
    await tx`set local max_parallel_workers_per_gather = 0`;
    return tx<{ n: number }[]>`select count(*)::int as n from supporters where org_id = ${orgId}`;
  });
  return row?.n ?? 0;
}
