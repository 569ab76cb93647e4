import { z } from 'zod';
import { rfc3339Schema } from './time-schemas';

/**
 * The Urgent Action case sheet (DESIGN.md section 12): what `case_alert` campaigns carry in `case`.
 * Every text field is bilingual `{ en?, km? }` (at least one). Pure: no I/O.
 */

const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);

/** `{ "en": "…", "km": "…" }`, at least one language. */
export const bilingualTextSchema = (max = 10_000) =>
  z
    .strictObject({ en: text(max).optional(), km: text(max).optional() })
    .refine((t) => t.en !== undefined || t.km !== undefined, { message: 'give at least one of en, km' });

/** A calendar date (`2027-01-15`) or an RFC 3339 instant. */
export const appealBySchema = z.union(
  [z.iso.date(), rfc3339Schema],
  'must be a date (2027-01-15) or an RFC 3339 time with an offset',
);

export const caseSheetSchema = z.strictObject({
  uaNumber: z
    .string({
      error: (i) => (i.input === undefined ? 'required: the Urgent Action number, e.g. UA 12/23' : undefined),
    })
    .trim()
    .min(1, 'must not be blank')
    .max(50),
  persons: z
    .array(z.strictObject({ name: text(200), detail: bilingualTextSchema(500).optional() }))
    .min(1)
    .max(20)
    .optional(),
  concern: bilingualTextSchema(2_000).optional(),
  background: bilingualTextSchema(10_000).optional(),
  recommendedActions: z
    .strictObject({
      en: z.array(text(1_000)).min(1).max(20).optional(),
      km: z.array(text(1_000)).min(1).max(20).optional(),
    })
    .refine((t) => t.en !== undefined || t.km !== undefined, { message: 'give at least one of en, km' })
    .optional(),
  appealBy: appealBySchema.optional(),
  copies: z
    .array(
      z.strictObject({
        name: text(200),
        email: z.email().optional(),
        address: text(500).optional(),
      }),
    )
    .max(20)
    .optional(),
});

export type CaseSheet = z.infer<typeof caseSheetSchema>;
export type CaseLocale = 'en' | 'km';

/**
 * The instant the appeal closes: a date means the end of that day in UTC (`2027-01-15` →
 * `2027-01-15T23:59:59.999Z`); an instant is kept as given (normalised to UTC).
 */
export function appealByInstant(appealBy: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(appealBy)) return `${appealBy}T23:59:59.999Z`;
  return new Date(appealBy).toISOString();
}

/** `UA 12/23` for the original, `UA 12/23 FI 2` for Further Information number 2. */
export function caseRef(uaNumber: string | undefined, fi?: number): string {
  if (!uaNumber) return fi ? `FI ${fi}` : '';
  return fi ? `${uaNumber} FI ${fi}` : uaNumber;
}

/** The FI number of a case-update stage key (`update-3`, `closure-4` → 3, 4), else undefined. */
export function fiOfStageKey(key: string): number | undefined {
  const m = /^(?:update|closure)-(\d+)$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** One language of a bilingual text: the wanted one, else the other (never nothing when one exists). */
export function pick(t: { en?: string; km?: string } | undefined, locale: CaseLocale): string | undefined {
  if (!t) return undefined;
  return t[locale] ?? t.en ?? t.km;
}

/** One language of the recommended actions, falling back like `pick`. */
export function pickList(t: { en?: string[]; km?: string[] } | undefined, locale: CaseLocale): string[] {
  if (!t) return [];
  return t[locale] ?? t.en ?? t.km ?? [];
}
