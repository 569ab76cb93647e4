import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, openCsv } from '../../api/import/csv-dialect';

const text = async (r: Readable) => {
  let out = '';
  for await (const chunk of r) out += chunk;
  return out;
};
const csv = 'name;phone;email\nSophéa;;s@example.org\n';

describe('spreadsheets from other locales', () => {
  it('finds commas, semicolons (French Excel) and tabs from the header, ignoring quoted ones', () => {
    expect(detectDelimiter('name,phone,email\n')).toBe(',');
    expect(detectDelimiter('name;phone;email\r\n')).toBe(';');
    expect(detectDelimiter('name\tphone\temail\n')).toBe('\t');
    expect(detectDelimiter('"a;b;c",phone,email\n')).toBe(',');
    expect(detectDelimiter('email\n')).toBe(',');
  });

  it('finds UTF-8 with or without BOM, UTF-16 with or without BOM, and Windows-1252', () => {
    expect(detectEncoding(Buffer.from(`\uFEFF${csv}`))).toBe('utf-8');
    expect(detectEncoding(Buffer.from(csv))).toBe('utf-8');
    expect(detectEncoding(iconv.encode(csv, 'utf-16le', { addBOM: true }))).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(csv, 'utf-16le'))).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(csv, 'utf-16be', { addBOM: true }))).toBe('utf-16be');
    expect(detectEncoding(iconv.encode(csv, 'windows-1252'))).toBe('windows-1252');
  });

  it('refuses a workbook or binary file, naming what it is', () => {
    expect(detectEncoding(Buffer.from('PK\u0003\u0004rest', 'latin1'))).toEqual({
      refused: expect.stringContaining('Excel workbook (.xlsx)'),
    });
    expect(detectEncoding(Buffer.from([0x61, 0, 0, 0x62, 0x63, 0x64]))).toEqual({
      refused: expect.stringContaining('binary'),
    });
  });

  it('gives back UTF-8 text without the BOM, whatever the chunking', async () => {
    const bytes = iconv.encode(csv, 'utf-16le', { addBOM: true });
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 30), bytes.subarray(30)];
    const opened = await openCsv(Readable.from(chunks));
    expect(opened.dialect).toEqual({ encoding: 'utf-16le', delimiter: ';' });
    expect(await text(opened.text)).toBe(csv);
    const latin = await openCsv(Readable.from([iconv.encode(csv, 'windows-1252')]));
    expect(await text(latin.text)).toBe(csv);
  });
});
