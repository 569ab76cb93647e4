import { z } from 'zod';
import { type CaseLocale, type CaseSheet, pick, pickList } from './case-sheet';
import type { KeyedTarget } from './case-targets';

/**
 * Letters to the authorities: the draft a supporter edits on the action page, the signature they
 * choose, and the request that sends it (POST /a/:token/letters). Pure: no I/O.
 */

export const LETTER_BODY_MAX = 5_000;
export const IDENTITIES = ['full', 'first_name_city', 'network'] as const;
export type Identity = (typeof IDENTITIES)[number];

/** Body of POST /a/:token/letters (JSON, or the action page's form fields of the same names). */
export const letterRequestSchema = z
  .strictObject({
    targets: z
      .array(z.string().min(1).max(32))
      .min(1, 'choose at least one target')
      .max(100)
      .refine((keys) => new Set(keys).size === keys.length, 'names a target twice'),
    body: z
      .string({ error: 'required: the letter' })
      .max(LETTER_BODY_MAX, `must be at most ${LETTER_BODY_MAX} characters`)
      .refine((b) => b.trim() !== '', 'must not be empty'),
    identity: z.enum(IDENTITIES, { error: 'must be one of full, first_name_city, network' }),
    signerName: z.string().trim().max(100).optional(),
    city: z.string().trim().max(100).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.identity === 'first_name_city' && !r.city)
      ctx.addIssue({
        code: 'custom',
        path: ['city'],
        message: 'required when signing with first name and city',
      });
  });

export type LetterRequest = z.infer<typeof letterRequestSchema>;

const WORDS = {
  en: {
    dear: 'Dear',
    about: 'I am writing to you about',
    callOn: 'I respectfully call on you to:',
    closing: 'Yours sincerely,',
    network: 'A supporter of the network',
    subject: 'Urgent Action',
  },
  // Khmer wording to be reviewed by the organization's native speakers.
  km: {
    dear: 'ជូនចំពោះ',
    about: 'ខ្ញុំសរសេរមកលោក/លោកស្រី អំពី',
    callOn: 'ខ្ញុំសូមស្នើដោយគោរពឱ្យលោក/លោកស្រី៖',
    closing: 'ដោយក្តីគោរព',
    network: 'អ្នកគាំទ្រម្នាក់នៃបណ្តាញ',
    subject: 'សកម្មភាពបន្ទាន់',
  },
} as const;

/** The language letters to a target are written in: its own, else English. */
export const targetLanguage = (t: Pick<KeyedTarget, 'language'>): CaseLocale => t.language ?? 'en';

/** "Dear Minister," — the target's salutation, else Dear + title or name. */
export function salutationOf(t: KeyedTarget, locale: CaseLocale = targetLanguage(t)): string {
  return t.salutation ?? `${WORDS[locale].dear} ${t.title ?? t.name}`;
}

/**
 * The letter a supporter starts from, in the target's language: salutation, what the case is
 * about, the recommended actions as a list, the closing. The signature is added when it is sent.
 */
export function letterDraft(sheet: CaseSheet | undefined, target: KeyedTarget, caseName?: string): string {
  const locale = targetLanguage(target);
  const w = WORDS[locale];
  const who = sheet?.persons?.map((p) => p.name).join(', ') || caseName || '';
  const ref = sheet?.uaNumber ? ` (${sheet.uaNumber})` : '';
  const concern = pick(sheet?.concern, locale);
  const actions = pickList(sheet?.recommendedActions, locale);
  const parts = [`${salutationOf(target, locale)},`];
  if (who) parts.push(`${w.about} ${who}${ref}.${concern ? ` ${concern}` : ''}`);
  else if (concern) parts.push(concern);
  if (actions.length > 0) parts.push(`${w.callOn}\n${actions.map((a) => `- ${a}`).join('\n')}`);
  parts.push(w.closing);
  return parts.join('\n\n');
}

/** The subject of a letter: "Urgent Action UA 12/23: Kem Sokha" in the target's language. */
export function letterSubject(sheet: CaseSheet | undefined, target: KeyedTarget, caseName?: string): string {
  const w = WORDS[targetLanguage(target)];
  const who = sheet?.persons?.map((p) => p.name).join(', ') || caseName || '';
  return [w.subject, sheet?.uaNumber].filter(Boolean).join(' ') + (who ? `: ${who}` : '');
}

/**
 * The signature the target sees, and nothing else of the supporter: the full name, the first name
 * and city, or "a supporter of the network". `name` is the name the supporter typed, else the one
 * on record; a full-name signature without any name falls back to the network signature.
 */
export function signature(
  identity: Identity,
  who: { name?: string | null; city?: string | null },
  locale: CaseLocale,
): string {
  const name = who.name?.trim();
  if (identity === 'full' && name) return name;
  if (identity === 'first_name_city') {
    const first = name?.split(/\s+/)[0];
    return [first, who.city?.trim()].filter(Boolean).join(', ') || WORDS[locale].network;
  }
  return WORDS[locale].network;
}

const PHONE_RUN = /[+(]?\d[\d\s().-]{5,}\d/g;

/**
 * The letter with the supporter's own email address and phone number taken out, wherever the
 * supporter may have typed them (any spacing or punctuation of the number): a target never
 * learns them from us.
 */
export function withoutContacts(
  text: string,
  contacts: { email?: string | null; phone?: string | null },
): string {
  let out = text;
  const email = contacts.email?.trim();
  if (email) out = out.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[…]');
  const digits = contacts.phone?.replace(/\D/g, '');
  if (digits && digits.length >= 7) {
    const tail = digits.slice(-8);
    out = out.replace(PHONE_RUN, (run) => (run.replace(/\D/g, '').endsWith(tail) ? '[…]' : run));
  }
  return out;
}
