/** What an inbound SMS asks for. Only a bare keyword counts: "we must STOP this bill" is `other`. */
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
 * French as Canadian carriers use it, for supporters in Québec and France).
 */
export const DEFAULT_KEYWORDS = {
  optOut: ['ឈប់', 'ARRET', 'ARRÊT'],
  optIn: ['ចាប់ផ្តើម'],
  help: ['ជំនួយ', 'AIDE'],
  done: ['DONE', 'រួចរាល់'],
} as const satisfies Required<KeywordConfig>;

// Checked in this order: if a word sits in two lists, stopping messages wins.
const ORDER = [
  ['optOut', 'opt_out'],
  ['optIn', 'opt_in'],
  ['help', 'help'],
  ['done', 'done'],
] as const;

/**
 * Comparable form: NFC, no invisible format characters (Khmer text often carries zero-width spaces),
 * coeng DA written as coeng TA (the two look alike and ផ្ដ/ផ្ត are both common), surrounding
 * whitespace, punctuation and symbols dropped, upper case.
 */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\u17D2\u178A/g, '\u17D2\u178F')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .toUpperCase();
}

export type ReplyClassifier = (body: string) => ReplyIntent;

export function createReplyClassifier(config: KeywordConfig = {}): ReplyClassifier {
  const lists = ORDER.map(([field, intent]) => {
    const words = [...CARRIER_KEYWORDS[field], ...(config[field] ?? DEFAULT_KEYWORDS[field])];
    return [new Set(words.map(normalizeReply)), intent] as const;
  });
  return (body) => {
    const word = normalizeReply(body);
    if (word === '') return 'other';
    for (const [set, intent] of lists) if (set.has(word)) return intent;
    return 'other';
  };
}

const defaultClassifier = createReplyClassifier();

/** Classifies with the default lists, or with an organization's lists when given. */
export function classifyReply(body: string, config?: KeywordConfig): ReplyIntent {
  return config ? createReplyClassifier(config)(body) : defaultClassifier(body);
}

const carrierWords = new Set(
  [...CARRIER_KEYWORDS.optOut, ...CARRIER_KEYWORDS.optIn, ...CARRIER_KEYWORDS.help].map(normalizeReply),
);

/** A keyword Twilio acts on, and answers, by itself: we never send a second confirmation for it. */
export function isCarrierKeyword(body: string): boolean {
  return carrierWords.has(normalizeReply(body));
}
