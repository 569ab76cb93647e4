import { z } from 'zod';

/** What an email shows of an Urgent Action case sheet, in the recipient's language. */
export interface CaseEssentials {
  uaNumber?: string;
  persons: string[];
  concern?: string;
}

// The case sheet of a case_alert campaign (shared/API.md "Urgent Action case sheet"), read loosely:
// only the essentials, and a sheet of another shape is ignored rather than failing a send.
const bilingual = z.object({ en: z.string().optional(), km: z.string().optional() });
const text = z.union([z.string(), bilingual]);
const caseSheet = z.object({
  uaNumber: z.string().optional(),
  persons: z.array(z.object({ name: text })).optional(),
  concern: text.optional(),
});

const pick = (v: z.infer<typeof text> | undefined, locale: 'en' | 'km') =>
  (typeof v === 'string' ? v : (v?.[locale] ?? v?.en ?? v?.km))?.trim() || undefined;

/** The essentials of `sheet` in `locale` (the other language when one is missing), or undefined. */
export function caseEssentials(sheet: unknown, locale: 'en' | 'km'): CaseEssentials | undefined {
  if (sheet === undefined || sheet === null) return undefined;
  const parsed = caseSheet.safeParse(sheet);
  if (!parsed.success) return undefined;
  const { uaNumber, persons = [], concern } = parsed.data;
  const essentials: CaseEssentials = {
    uaNumber: uaNumber?.trim() || undefined,
    persons: persons.flatMap((p) => pick(p.name, locale) ?? []),
    concern: pick(concern, locale),
  };
  return essentials.uaNumber || essentials.persons.length > 0 || essentials.concern ? essentials : undefined;
}
