import type { Sql } from '../db/client';
import { SupporterConflict, upsertSupporter } from '../db/supporters';
import { overriddenConsent } from '../db/suppressions';
import type { ContactChannel, SuppressionSource } from '../domain/suppression-sources';
import type { ContactKeys } from '../infra/contact-key';
import { osdiItemToInput, osdiPath } from './osdi-person';
import type { FieldError } from './problem';
import { SupporterInputSchema } from './schemas/supporter';
import { normalizeSupporter, type OrgInput } from './supporter-input';

export interface OsdiResult {
  upserted: number;
  rejected: Array<{ index: number; errors: FieldError[] }>;
  /** Items whose person claims consent for a phone or email on the suppression list: opted out anyway. */
  suppressed: Array<{ index: number; channel: ContactChannel; source: SuppressionSource }>;
}

/** Upserts the person of each OSDI item; a bad item is reported by its 0-based index and skipped. */
export async function upsertOsdiItems(
  sql: Sql,
  orgId: string,
  org: OrgInput,
  items: unknown[],
  keys: ContactKeys,
): Promise<OsdiResult> {
  const result: OsdiResult = { upserted: 0, rejected: [], suppressed: [] };
  for (const [index, item] of items.entries()) {
    const person = osdiItemToInput(item);
    if ('errors' in person) {
      result.rejected.push({ index, errors: person.errors });
      continue;
    }
    const parsed = SupporterInputSchema.safeParse(person.input);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      result.rejected.push({ index, errors: errors.map((e) => osdiPath(person.kind, e)) });
      continue;
    }
    const normalized = normalizeSupporter(parsed.data, org);
    if ('errors' in normalized) {
      result.rejected.push({ index, errors: normalized.errors.map((e) => osdiPath(person.kind, e)) });
      continue;
    }
    // What the item leaves out stays as it was on a supporter we already know (the upsert keeps it).
    const value = { ...normalized.value, consent: person.consent };
    const { sms, email } = person.consent;
    try {
      const { listed } = await upsertSupporter(sql, orgId, value, keys);
      result.upserted++;
      // Only what the item itself claims is reported, not consent kept from the known supporter.
      const claimed = { sms: sms === true, email: email === true };
      for (const o of overriddenConsent(listed, claimed)) result.suppressed.push({ index, ...o });
    } catch (err) {
      if (!(err instanceof SupporterConflict)) throw err;
      result.rejected.push({ index, errors: [{ path: `${person.kind}.person`, message: err.message }] });
    }
  }
  return result;
}
