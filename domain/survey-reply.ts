import { normalizeReply } from './reply-keywords';
import type { SurveyQuestion } from './survey-schema';

/** An understood answer: a choice key, yes/no, a number, or free text (a report). */
export type SurveyValue =
  | { type: 'choice'; choice: string }
  | { type: 'yes_no'; choice: 'yes' | 'no' }
  | { type: 'number'; number: number }
  | { type: 'text'; text: string };

/** Longest report kept: Twilio joins at most 1,600 characters into one inbound message. */
export const MAX_REPORT_CHARS = 1600;

// Zero of each decimal digit block supporters are likely to type (Khmer first); fullwidth folds under NFKC.
const DIGIT_ZEROS = [0x17e0, 0x0660, 0x06f0, 0x0966, 0x0e50, 0x0ed0, 0x1040, 0x19d0];

/** Every decimal digit in Latin form: `២` → `2`, `១០` → `10`. */
export function latinDigits(text: string): string {
  return text.normalize('NFKC').replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return String(cp - zero);
    return d;
  });
}

// Reviewed lists to extend with the organization's native speakers; compared after normalizeReply.
const YES = [
  'yes',
  'y',
  'yeah',
  'yep',
  'yup',
  'ok',
  'okay',
  'true',
  'oui',
  'បាទ',
  'ចាស',
  'ចា',
  'បាទ ចាស',
  'ចាស បាទ',
  'បាទបាទ',
  'ត្រូវ',
  'ត្រូវហើយ',
  'មាន',
  'យល់ព្រម',
  'jah',
  'bat',
  'baat',
  'chas',
  'cha',
];
const NO = [
  'no',
  'n',
  'nope',
  'nah',
  'false',
  'non',
  'ទេ',
  'អត់',
  'អត់ទេ',
  'ទេ បាទ',
  'ទេ ចាស',
  'មិនមែន',
  'មិនមែនទេ',
  'គ្មាន',
  'ot',
  'te',
  'tay',
];
const yesWords = new Set(YES.map(normalizeReply));
const noWords = new Set(NO.map(normalizeReply));

/** yes, no, or undefined: `Yes!`, `y`, `បាទ`, `ចាស`, `ទេ`, `1` (yes) and `2` (no) as the prompt numbers them. */
export function readYesNo(reply: string): 'yes' | 'no' | undefined {
  const word = normalizeReply(latinDigits(reply));
  if (word === '1' || yesWords.has(word)) return 'yes';
  if (word === '2' || noWords.has(word)) return 'no';
  return undefined;
}

/** The one number a reply gives (`12`, `១២`, `1,200`, `3.5`, `about 40 people`), if exactly one. */
export function readNumber(reply: string): number | undefined {
  const text = latinDigits(reply).replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  const found = text.match(/-?\d+(?:[.,]\d+)?/g) ?? [];
  if (found.length !== 1) return undefined;
  const n = Number(found[0]!.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** The choice a reply names: its number (Latin or Khmer digits), its label in either language, or its key. */
export function readChoice(q: SurveyQuestion, reply: string): string | undefined {
  const choices = q.choices ?? [];
  const word = normalizeReply(latinDigits(reply));
  if (/^\d+$/.test(word)) return choices[Number(word) - 1]?.key;
  for (const c of choices) {
    const names = [c.key, c.label.en, c.label.km].flatMap((n) => [n, ...n.split('/')]).map(normalizeReply);
    if (names.includes(word)) return c.key;
  }
  // A choice list of yes and no understands yes/no words too.
  const yn = readYesNo(reply);
  if (yn && choices.some((c) => c.key === yn)) return yn;
  return undefined;
}

/** Reads a reply as an answer to `q`; undefined when it does not fit (the question is asked again once). */
export function readAnswer(q: SurveyQuestion, reply: string): SurveyValue | undefined {
  switch (q.type) {
    case 'choice': {
      const choice = readChoice(q, reply);
      return choice === undefined ? undefined : { type: 'choice', choice };
    }
    case 'yes_no': {
      const choice = readYesNo(reply);
      return choice === undefined ? undefined : { type: 'yes_no', choice };
    }
    case 'number': {
      const n = readNumber(reply);
      if (n === undefined) return undefined;
      if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) return undefined;
      return { type: 'number', number: n };
    }
    case 'text': {
      const text = reply.normalize('NFC').trim();
      // Only emoji, punctuation or spaces is not a report.
      if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
      return { type: 'text', text: [...text].slice(0, MAX_REPORT_CHARS).join('') };
    }
  }
}
