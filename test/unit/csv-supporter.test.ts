import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  csvFieldErrors,
  csvRecordToInput,
  isBlankRecord,
  readHeader,
} from '../../api/import/csv-supporter';
import { SupporterInputSchema } from '../../api/schemas/supporter';
import { contactKeys, firstWave } from '../../db/supporter-batch';

const header = () => {
  const read = readHeader([...CSV_COLUMNS]);
  if ('errors' in read) throw new Error(JSON.stringify(read.errors));
  return read.header;
};

describe('CSV header', () => {
  it('accepts the columns in any order and case', () => {
    const read = readHeader([
      'Email',
      ' name ',
      'phone',
      'locale',
      'timezone',
      'tags',
      'email_consent',
      'sms_consent',
    ]);
    expect(read).toEqual({
      header: {
        email: 0,
        name: 1,
        phone: 2,
        locale: 3,
        timezone: 4,
        tags: 5,
        email_consent: 6,
        sms_consent: 7,
      },
    });
  });

  it('names each unknown or repeated column', () => {
    const read = readHeader(['name', 'name', 'phone', 'mobile', 'locale', 'timezone', 'tags', 'sms_consent']);
    expect('errors' in read && read.errors).toEqual([
      { path: 'header.name', message: 'column appears more than once' },
      { path: 'header.mobile', message: expect.stringContaining('unknown column') },
    ]);
  });

  it('needs only a phone or an email column: a column left out keeps what is stored', () => {
    expect(readHeader(['email', 'name'])).toEqual({ header: { email: 0, name: 1 } });
    const read = readHeader(['name', 'locale']);
    expect('errors' in read && read.errors).toEqual([
      { path: 'header.phone', message: expect.stringContaining('a phone or an email column is required') },
    ]);
  });
});

describe('CSV row', () => {
  const row = (cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>>) =>
    csvRecordToInput(
      CSV_COLUMNS.map((c) => cells[c] ?? ''),
      header(),
    );

  it('becomes a POST /v1/supporters body: empty cells absent, tags split on ;, consent words read', () => {
    expect(
      row({
        name: ' Sophea ',
        phone: '978 555 0100',
        locale: 'KM',
        tags: 'a; b;;',
        sms_consent: 'Yes',
        email_consent: '0',
      }),
    ).toEqual({
      input: {
        name: 'Sophea',
        phone: '978 555 0100',
        email: undefined,
        locale: 'km',
        timezone: undefined,
        tags: ['a', 'b'],
        consent: { sms: true, email: false },
      },
    });
    for (const [cell, value] of [
      ['true', true],
      ['1', true],
      ['no', false],
      ['FALSE', false],
      ['', undefined],
    ] as const) {
      expect(row({ email: 'a@example.org', sms_consent: cell })).toMatchObject({
        input: { consent: { sms: value } },
      });
    }
  });

  it('names a bad consent cell and extra cells', () => {
    expect(row({ sms_consent: 'maybe' })).toEqual({
      errors: [{ path: 'sms_consent', message: expect.stringContaining('true, false') }],
    });
    const extra = csvRecordToInput([...CSV_COLUMNS.map(() => ''), 'surplus'], header());
    expect(extra).toEqual({ errors: [{ path: '(row)', message: 'has 9 cells; the header has 8' }] });
    expect(
      csvRecordToInput([...CSV_COLUMNS.map(() => ''), ' '], header()),
      'an empty trailing cell is fine',
    ).toHaveProperty('input');
  });

  it('reports schema errors by the column a spreadsheet user fixes', () => {
    const parsed = SupporterInputSchema.safeParse({
      email: 'nope',
      tags: ['ok', ''],
      timezone: 'Mars/Base',
      consent: { sms: 'x' },
    });
    expect(parsed.success).toBe(false);
    expect(csvFieldErrors(parsed.error!).map((e) => e.path)).toEqual([
      'email',
      'timezone',
      'tags',
      'sms_consent',
    ]);
  });

  it('treats a line of empty cells as blank', () => {
    expect(isBlankRecord([''])).toBe(true);
    expect(isBlankRecord([' ', ''])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});

describe('batch waves', () => {
  const s = (phone?: string, email?: string) => ({
    phone,
    email,
    locale: 'en' as const,
    timezone: 'UTC',
    tags: [],
    consent: { sms: false, email: false },
  });

  it('keeps rows that share a phone or email (any case) out of the same wave', () => {
    const rows = [
      s('+1', 'a@x.org'),
      s('+2'),
      s(undefined, 'A@X.org'),
      s('+2', 'b@x.org'),
      s('+3', 'b@x.org'),
    ];
    const wave = firstWave(rows, contactKeys);
    expect(rows.map((r) => wave.has(r))).toEqual([true, true, false, false, false]);
    const rest = rows.filter((r) => !wave.has(r));
    expect(rest.map((r) => firstWave(rest, contactKeys).has(r))).toEqual([true, true, false]);
  });
});
