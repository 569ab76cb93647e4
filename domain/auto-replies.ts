import { z } from 'zod';
import type { Locale } from './content-schema';
import { hasKhmer } from './khmer-normalize';

/**
 * Automatic answers to inbound SMS (HELP, confirmations, DONE thank-you), per organization and
 * language. Defaults name the organization and the keywords of their language (the English ones
 * work in every language); the Khmer is to be checked by the organization's native speakers.
 * Without a help contact, every default fits one SMS segment for an organization name of up to
 * MAX_NAME_FOR_ONE_SEGMENT characters (GSM-7 160 in English, UCS-2 70 in Khmer); the settings show
 * each answer's segment count, so an organization with a longer name shortens its own.
 */
export const AUTO_REPLY_KINDS = [
  'help',
  'opt_out_confirmation',
  'opt_in_confirmation',
  'done_thank_you',
] as const;
export type AutoReplyKind = (typeof AUTO_REPLY_KINDS)[number];

/** The longest organization name for which every default answer is one segment (a unit test holds it). */
export const MAX_NAME_FOR_ONE_SEGMENT = 16;

const text = z.string().trim().min(1).max(320);
/** A text per language; a missing language takes the default. */
export const bilingualTextSchema = z.strictObject({ en: text.optional(), km: text.optional() });
export type BilingualText = z.infer<typeof bilingualTextSchema>;

/** organizations.auto_replies, and the same part of PATCH /v1/organization. */
export const autoReplySettingsSchema = z.strictObject({
  confirmations: z
    .strictObject({
      /** Confirm opt-outs and opt-ins the carrier does not confirm itself (default true). */
      enabled: z.boolean().optional(),
      optOut: bilingualTextSchema.optional(),
      optIn: bilingualTextSchema.optional(),
    })
    .optional(),
  doneThankYou: z
    .strictObject({
      /** Thank supporters who reply DONE, once per campaign (default false: it costs a segment). */
      enabled: z.boolean().optional(),
      text: bilingualTextSchema.optional(),
    })
    .optional(),
});
export type AutoReplySettings = z.infer<typeof autoReplySettingsSchema>;

/** A text per language in a patch: a string sets it, `null` returns it to the default, absent keeps it. */
const bilingualPatchSchema = z.strictObject({
  en: text.nullable().optional(),
  km: text.nullable().optional(),
});
export type BilingualPatch = z.infer<typeof bilingualPatchSchema>;

/** The autoReplies part of PATCH /v1/organization: merged into the stored settings language by language. */
export const autoReplyPatchSchema = z.strictObject({
  confirmations: z
    .strictObject({
      enabled: z.boolean().optional(),
      optOut: bilingualPatchSchema.optional(),
      optIn: bilingualPatchSchema.optional(),
    })
    .optional(),
  doneThankYou: z
    .strictObject({ enabled: z.boolean().optional(), text: bilingualPatchSchema.optional() })
    .optional(),
});
export type AutoReplyPatch = z.infer<typeof autoReplyPatchSchema>;

/** Applies a patch of texts to stored texts, language by language; `null` drops a language's own text. */
export function mergeTexts(now: BilingualText | undefined, patch: BilingualPatch | undefined): BilingualText {
  const merged = { ...now, ...patch };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => typeof v === 'string')) as BilingualText;
}

/** Applies a validated autoReplies patch to the stored settings. */
export function mergeAutoReplies(
  now: AutoReplySettings,
  patch: AutoReplyPatch | undefined,
): AutoReplySettings {
  const c = { ...now.confirmations, ...patch?.confirmations };
  const d = { ...now.doneThankYou, ...patch?.doneThankYou };
  return {
    confirmations: {
      ...(c.enabled !== undefined ? { enabled: c.enabled } : {}),
      optOut: mergeTexts(now.confirmations?.optOut, patch?.confirmations?.optOut),
      optIn: mergeTexts(now.confirmations?.optIn, patch?.confirmations?.optIn),
    },
    doneThankYou: {
      ...(d.enabled !== undefined ? { enabled: d.enabled } : {}),
      text: mergeTexts(now.doneThankYou?.text, patch?.doneThankYou?.text),
    },
  };
}

/** What an organization says, as stored: help texts and the auto-reply settings. */
export interface OrgVoice {
  name: string;
  helpText: BilingualText;
  helpContact?: string | null;
  autoReplies: AutoReplySettings;
}

/** The default answer of each kind, in each language. */
export function defaultAutoReply(
  kind: AutoReplyKind,
  locale: Locale,
  org: Pick<OrgVoice, 'name' | 'helpContact'>,
) {
  const name = org.name;
  const contact = org.helpContact ? org.helpContact : undefined;
  if (locale === 'km') {
    switch (kind) {
      case 'help':
        return `${name}៖ ឆ្លើយ ឈប់ ដើម្បីឈប់ ចាប់ផ្តើម ដើម្បីទទួលវិញ។${contact ? ` ជំនួយ៖ ${contact}` : ''}`;
      case 'opt_out_confirmation':
        return `${name}៖ អ្នកនឹងលែងទទួលសារ។ ឆ្លើយ ចាប់ផ្តើម ដើម្បីទទួលវិញ។`;
      case 'opt_in_confirmation':
        return `${name}៖ អ្នកនឹងទទួលសារម្តងទៀត។ ឆ្លើយ ឈប់ ដើម្បីឈប់។`;
      case 'done_thank_you':
        return `${name}៖ សូមអរគុណសម្រាប់សកម្មភាពរបស់អ្នក!`;
    }
  }
  switch (kind) {
    case 'help':
      return `${name}: Urgent Action alerts. Reply STOP to stop, START to restart, DONE when you have acted.${contact ? ` Help: ${contact}` : ''}`;
    case 'opt_out_confirmation':
      return `${name}: you will get no more messages from us. Reply START to receive them again.`;
    case 'opt_in_confirmation':
      return `${name}: you will receive our Urgent Action messages again. Reply STOP to stop.`;
    case 'done_thank_you':
      return `${name}: thank you for acting! Every message counts.`;
  }
}

/** The organization's own text of that kind and language, else the default. */
export function autoReplyText(kind: AutoReplyKind, locale: Locale, org: OrgVoice): string {
  const own =
    kind === 'help'
      ? org.helpText
      : kind === 'opt_out_confirmation'
        ? org.autoReplies.confirmations?.optOut
        : kind === 'opt_in_confirmation'
          ? org.autoReplies.confirmations?.optIn
          : org.autoReplies.doneThankYou?.text;
  return own?.[locale] ?? defaultAutoReply(kind, locale, org);
}

/** The supporter's language when we know them, else the language the reply was written in. */
export function replyLocale(supporterLocale: Locale | undefined, body: string): Locale {
  return supporterLocale ?? (hasKhmer(body) ? 'km' : 'en');
}
