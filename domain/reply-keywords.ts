import { normalizeKhmer } from './khmer-normalize';

/**
 * What an inbound SMS asks for. Only a bare keyword counts: "we must STOP this bill" is `other`
 * (see `mentionedKeyword` for replies an organizer may want to read).
 */
export type ReplyIntent = 'opt_out' | 'opt_in' | 'help' | 'done' | 'other';

export interface KeywordConfig {
  optOut?: readonly string[];
  optIn?: readonly string[];
  help?: readonly string[];
  done?: readonly string[];
}

/** Twilio acts on these whatever we configure, so an organization's lists add to them and never drop them. */
export const CARRIER_KEYWORDS = {
  optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  optIn: ['START', 'UNSTOP'],
  help: ['HELP', 'INFO'],
  done: [],
} as const satisfies Required<KeywordConfig>;

/**
 * Defaults an organization's list for that intent replaces (Khmer to be reviewed by native speakers;
 * French as Canadian carriers and French senders use it, for supporters in Québec and France).
 * Accents, case, spaces and hyphens do not matter: ARRÊT matches ARRET, "se désabonner" SEDESABONNER.
 */
export const DEFAULT_KEYWORDS = {
  optOut: [
    'ឈប់',
    'ARRET',
    'ARRETER',
    'DESABONNER',
    'SE DESABONNER',
    'DESINSCRIRE',
    'DESINSCRIPTION',
    'ANNULER',
  ],
  optIn: ['ចាប់ផ្តើម', 'COMMENCER', 'REPRENDRE'],
  help: ['ជំនួយ', 'AIDE'],
  done: ['DONE', 'រួចរាល់', 'FAIT'],
} as const satisfies Required<KeywordConfig>;

// Checked in this order: if a word sits in two lists, stopping messages wins.
const ORDER = [
  ['optOut', 'opt_out'],
  ['optIn', 'opt_in'],
  ['help', 'help'],
  ['done', 'done'],
] as const;

/**
 * Comparable form, so a keyword matches however it was typed: compatibility forms folded (fullwidth
 * ＳＴＯＰ), Latin accents dropped (ARRÊT), Khmer in one spelling (domain/khmer-normalize.ts),
 * invisible format characters removed (Khmer text often carries zero-width spaces), words separated
 * by one space whatever stood between them (spaces, hyphens, punctuation), upper case.
 */
export function normalizeReply(text: string): string {
  return normalizeKhmer(
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC')
      .replace(/\p{Cf}/gu, ''),
  )
    .replace(/[\p{Z}\s\p{P}\p{S}]+/gu, ' ')
    .trim()
    .toUpperCase();
}

// "Opt out", "OPT-OUT" and OPTOUT are one keyword; "S T O P" is not STOP (words of one letter are spelling, not words).
const joined = (word: string) => {
  const parts = word.split(' ');
  return parts.length > 1 && parts.every((p) => p.length >= 2) ? parts.join('') : word;
};

export type ReplyClassifier = (body: string) => ReplyIntent;

export function createReplyClassifier(config: KeywordConfig = {}): ReplyClassifier {
  const lists = ORDER.map(([field, intent]) => {
    const words = [...CARRIER_KEYWORDS[field], ...(config[field] ?? DEFAULT_KEYWORDS[field])];
    return [new Set(words.flatMap((w) => [normalizeReply(w), joined(normalizeReply(w))])), intent] as const;
  });
  return (body) => {
    const word = normalizeReply(body);
    if (word === '') return 'other';
    for (const [set, intent] of lists) if (set.has(word) || set.has(joined(word))) return intent;
    return 'other';
  };
}

const defaultClassifier = createReplyClassifier();

/** Classifies with the default lists, or with an organization's lists when given. */
export function classifyReply(body: string, config?: KeywordConfig): ReplyIntent {
  return config ? createReplyClassifier(config)(body) : defaultClassifier(body);
}

// Twilio matches its keywords on the trimmed, upper-cased body only: "Opt out" is ours to confirm, OPTOUT is Twilio's.
const twilioForm = (text: string) =>
  text
    .normalize('NFC')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .toUpperCase();

const carrierWords = new Set(
  [...CARRIER_KEYWORDS.optOut, ...CARRIER_KEYWORDS.optIn, ...CARRIER_KEYWORDS.help].map(twilioForm),
);

/** A keyword Twilio acts on, and answers, by itself: we never send a second confirmation for it. */
export function isCarrierKeyword(body: string): boolean {
  return carrierWords.has(twilioForm(body));
}

/**
 * The intent of a keyword a longer reply contains as a word or short phrase ("I want to STOP getting
 * these"), for replies that are not a bare keyword: shown to organizers as needing a look, never acted on.
 */
export function mentionedKeyword(body: string, config?: KeywordConfig): ReplyIntent | undefined {
  const words = normalizeReply(body).split(' ').filter(Boolean);
  if (words.length < 2) return undefined;
  const classify = config ? createReplyClassifier(config) : defaultClassifier;
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      const intent = classify(words.slice(i, i + n).join(' '));
      if (intent === 'opt_out' || intent === 'opt_in' || intent === 'help') return intent;
    }
  }
  return undefined;
}
