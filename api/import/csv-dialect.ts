import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { badRequest } from '../errors/problem';

/** How a spreadsheet wrote its CSV: Excel's locales and "Save as" choices differ in both. */
export interface CsvDialect {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  delimiter: ',' | ';' | '\t';
}

const SNIFF_BYTES = 64 * 1024;
const DELIMITERS: Array<[CsvDialect['delimiter'], string]> = [
  [',', 'commas'],
  [';', 'semicolons'],
  ['\t', 'tabs'],
];
export const delimiterName = (d: CsvDialect['delimiter']) => DELIMITERS.find(([c]) => c === d)![1];

function isUtf8(bytes: Buffer): boolean {
  // A multi-byte character cut at the end of the sample is not an error.
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The encoding from the byte-order mark, the pattern of zero bytes, or whether the bytes are valid UTF-8. */
export function detectEncoding(head: Buffer): CsvDialect['encoding'] | { refused: string } {
  if (head.subarray(0, 4).equals(Buffer.from('PK\u0003\u0004', 'latin1')))
    return { refused: 'an Excel workbook (.xlsx) or other zip file, not CSV: save it as CSV and send that' };
  if (head[0] === 0xd0 && head[1] === 0xcf)
    return { refused: 'an old Excel workbook (.xls), not CSV: save it as CSV and send that' };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const sample = head.subarray(0, 1024);
  let evenZeros = 0;
  let oddZeros = 0;
  sample.forEach((b, i) => {
    if (b === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  });
  // ASCII text in UTF-16 without a mark: every other byte is zero.
  if (oddZeros > sample.length / 4 && evenZeros === 0) return 'utf-16le';
  if (evenZeros > sample.length / 4 && oddZeros === 0) return 'utf-16be';
  if (evenZeros + oddZeros > 0)
    return { refused: 'binary data (zero bytes), not text: save the spreadsheet as CSV and send that' };
  return isUtf8(head) ? 'utf-8' : 'windows-1252';
}

/** The separator used most in the header line, outside quotes; a one-column file reads as commas. */
export function detectDelimiter(text: string): CsvDialect['delimiter'] {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: CsvDialect['delimiter'] = ',';
  for (const [d] of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Reads the start of a CSV body to learn its dialect, then gives the whole body back as UTF-8 text
 * (the byte-order mark removed). Refuses a file that is not text, naming what it found.
 */
export async function openCsv(body: Readable): Promise<{ dialect: CsvDialect; text: Readable }> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value as Uint8Array);
    head.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a)) break;
  }
  const start = Buffer.concat(head);
  const encoding = detectEncoding(start);
  if (typeof encoding !== 'string') throw badRequest(`The file is ${encoding.refused}`);
  const delimiter = detectDelimiter(iconv.decode(start, encoding));
  // Decoded in a generator so a failing body (413) fails the text stream too.
  async function* decoded() {
    const decoder = iconv.getDecoder(encoding as string);
    yield decoder.write(start);
    if (!done) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        yield decoder.write(Buffer.from(next.value as Uint8Array));
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  const text = Readable.from(decoded());
  return { dialect: { encoding, delimiter }, text };
}
