import type { ContactKeys } from '../../core/contact-key';
import type { Sql } from '../../db/client';
import { type NormalizedSupporter, SupporterConflict, upsertSupporter } from '../../db/supporters';
import { overriddenConsent } from '../../db/suppressions';
import type { DeliveryChannel } from '../../domain/channels';
import type { FieldError } from '../errors/problem';
import { SupporterInputSchema } from '../schemas/supporter';
import { osdiItemToInput, osdiPath } from './osdi-person';
import { normalizeSupporter, type OrgInput } from './supporter-input';

export interface OsdiResult {
  upserted: number;
  rejected: Array<{ index: number; errors: FieldError[] }>;
  /** Parts of an item that could not be used: dropped, and the person upserted without them. */
  warnings: Array<{ index: number; path: string; message: string }>;
  /** Items whose person claims consent for a phone or email on the suppression list: opted out anyway. */
  /** The channel only: the entry's source may tell a partner what a person did with another organization. */
  suppressed: Array<{ index: number; channel: DeliveryChannel }>;
}

const DROPPABLE = new Set(['name', 'phone', 'email', 'locale', 'timezone', 'tags']);

/**
 * The person as a supporter, dropping each field that fails validation or normalisation (with a
 * warning) as long as a phone or an email is left; otherwise the errors that refuse the item.
 */
function usablePerson(
  input: Record<string, unknown>,
  kind: string,
  org: OrgInput,
  warn: (e: FieldError) => void,
): { value: NormalizedSupporter } | { errors: FieldError[] } {
  const fields = { ...input };
  const head = (e: FieldError) => e.path.split('.')[0]!;
  for (;;) {
    const parsed = SupporterInputSchema.safeParse(fields);
    const normalized = parsed.success
      ? normalizeSupporter(parsed.data, org)
      : { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    if ('value' in normalized) return normalized;
    const drop = normalized.errors.filter((e) => DROPPABLE.has(head(e)) && fields[head(e)] !== undefined);
    const contactLeft = drop.every((e) => head(e) !== 'phone') ? fields.phone : undefined;
    const emailLeft = drop.every((e) => head(e) !== 'email') ? fields.email : undefined;
    // Refused only when nothing can be dropped, or dropping would leave no way to reach the person.
    if (drop.length === 0 || (contactLeft === undefined && emailLeft === undefined))
      return { errors: normalized.errors.map((e) => osdiPath(kind, e)) };
    for (const e of drop) {
      warn(osdiPath(kind, { path: e.path, message: `${e.message}; dropped` }));
      delete fields[head(e)];
    }
  }
}

/** Upserts the person of each OSDI item; an item without a usable person is reported by its 0-based index. */
export async function upsertOsdiItems(
  sql: Sql,
  orgId: string,
  org: OrgInput,
  items: unknown[],
  keys: ContactKeys,
): Promise<OsdiResult> {
  const result: OsdiResult = { upserted: 0, rejected: [], warnings: [], suppressed: [] };
  for (const [index, item] of items.entries()) {
    const person = osdiItemToInput(item);
    if ('errors' in person) {
      result.rejected.push({ index, errors: person.errors });
      continue;
    }
    const warnings = person.warnings.map((w) => ({ index, ...w }));
    const usable = usablePerson(person.input, person.kind, org, (e) => warnings.push({ index, ...e }));
    if ('errors' in usable) {
      result.rejected.push({ index, errors: usable.errors });
      continue;
    }
    // What the item leaves out stays as it was on a supporter we already know (the upsert keeps it).
    const value = { ...usable.value, consent: person.consent };
    const { sms, email } = person.consent;
    try {
      const { listed } = await upsertSupporter(sql, orgId, value, keys);
      result.upserted++;
      result.warnings.push(...warnings);
      // Only what the item itself claims is reported, not consent kept from the known supporter.
      const claimed = { sms: sms === true, email: email === true };
      for (const o of overriddenConsent(listed, claimed))
        result.suppressed.push({ index, channel: o.channel });
    } catch (err) {
      if (!(err instanceof SupporterConflict)) throw err;
      result.rejected.push({ index, errors: [{ path: `${person.kind}.person`, message: err.message }] });
    }
  }
  return result;
}
