/**
 * Khmer text in one canonical spelling, as Khmer search normalisers do (after SIL's khnormal): the
 * same-looking word typed with other code points compares equal. Unicode's NFC leaves these alone.
 */

const COENG = 0x17d2;
const isConsonant = (c: number) => c >= 0x1780 && c <= 0x17b3;
// The order marks are stored in after a base: subscripts, register shifters, robat, vowels, signs.
function markClass(c: number): number | undefined {
  if (c === 0x17c9 || c === 0x17ca) return 1; // register shifters
  if (c === 0x17cc) return 2; // robat
  if (c >= 0x17b6 && c <= 0x17c5) return 3; // dependent vowels
  if (
    (c >= 0x17c6 && c <= 0x17d1 && c !== 0x17cc && c !== 0x17c9 && c !== 0x17ca) ||
    c === 0x17d3 ||
    c === 0x17dd
  )
    return 4; // signs (nikahit, reahmuk, bantoc, ...)
  return undefined;
}

// Vowels typed in two parts (e + aa) that have a code point of their own.
const SPLIT_VOWELS: Array<[RegExp, string]> = [
  [/\u17C1\u17B8/g, '\u17BE'],
  [/\u17C1\u17B6/g, '\u17C4'],
  [/\u17B6\u17C1/g, '\u17C4'],
];

/** Reorders the marks of each cluster and drops a mark typed twice in a row. */
function reorderClusters(text: string): string {
  const cps = [...text].map((ch) => ch.codePointAt(0)!);
  const out: number[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if (markClass(c) === undefined && c !== COENG) {
      out.push(c);
      i++;
      continue;
    }
    // A run of marks: coeng + consonant pairs first (in typed order), then the other marks by class.
    const subs: number[][] = [];
    const marks: number[] = [];
    while (i < cps.length) {
      const m = cps[i]!;
      if (m === COENG && i + 1 < cps.length && isConsonant(cps[i + 1]!)) {
        subs.push([m, cps[i + 1]!]);
        i += 2;
      } else if (markClass(m) !== undefined) {
        if (!marks.includes(m)) marks.push(m);
        i++;
      } else break;
    }
    marks.sort((a, b) => markClass(a)! - markClass(b)!);
    for (const s of subs) out.push(...s);
    out.push(...marks);
  }
  return String.fromCodePoint(...out);
}

/** Whether the text has any Khmer letter or sign (the Khmer block and Khmer Symbols). */
export const hasKhmer = (text: string): boolean => /[\u1780-\u17FF\u19E0-\u19FF]/u.test(text);

export function normalizeKhmer(text: string): string {
  if (!hasKhmer(text)) return text;
  let t = text.replace(/\u17D2\u178A/g, '\u17D2\u178F');
  for (const [from, to] of SPLIT_VOWELS) t = t.replace(from, to);
  t = reorderClusters(t);
  for (const [from, to] of SPLIT_VOWELS) t = t.replace(from, to);
  return t;
}
