import type { ZodError } from 'zod';
import { type FieldError, fieldErrors } from '../errors/problem';

export const CSV_COLUMNS = [
  'name',
  'phone',
  'email',
  'locale',
  'timezone',
  'tags',
  'sms_consent',
  'email_consent',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
/** Column positions; a column the file does not have is absent, like a blank cell in every row. */
export type CsvHeader = Partial<Record<CsvColumn, number>>;

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/** Column positions by name (any order, case-insensitive), or one error per missing, unknown or repeated column. */
export function readHeader(fields: string[]): { header: CsvHeader } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const index = new Map<string, number>();
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        path: `header.${raw.trim() || `(column ${i + 1})`}`,
        message: `unknown column; expected ${CSV_COLUMNS.join(',')}`,
      });
    } else if (index.has(name)) {
      errors.push({ path: `header.${name}`, message: 'column appears more than once' });
    } else {
      index.set(name, i);
    }
  });
  // Only a contact is required: a file without locale or consent columns keeps what is stored.
  if (!index.has('phone') && !index.has('email'))
    errors.push({ path: 'header.phone', message: 'missing column: a phone or an email column is required' });
  if (errors.length > 0) return { errors };
  return { header: Object.fromEntries(index) as CsvHeader };
}

function bool(value: string, column: CsvColumn, errors: FieldError[]): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (TRUE.has(v)) return true;
  if (!FALSE.has(v)) errors.push({ path: column, message: 'must be true, false, yes, no, 1, 0 or empty' });
  return false;
}

/**
 * One CSV record as a POST /v1/supporters body. Empty cells are absent fields: they keep what is
 * stored (a new supporter gets the defaults), consent cells included.
 */
export function csvRecordToInput(
  fields: string[],
  header: CsvHeader,
): { input: Record<string, unknown> } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const width = Object.keys(header).length;
  if (fields.slice(width).some((f) => f.trim() !== '')) {
    errors.push({ path: '(row)', message: `has ${fields.length} cells; the header has ${width}` });
  }
  const at = (col: CsvColumn) => header[col];
  const cell = (col: CsvColumn) => {
    const i = at(col);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const text = (col: CsvColumn) => cell(col) || undefined;
  const input = {
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    locale: text('locale')?.toLowerCase(),
    timezone: text('timezone'),
    tags: cell('tags')
      .split(';')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    consent: {
      sms: bool(cell('sms_consent'), 'sms_consent', errors),
      email: bool(cell('email_consent'), 'email_consent', errors),
    },
  };
  return errors.length > 0 ? { errors } : { input };
}

/** Schema paths as the CSV column a spreadsheet user would fix. */
export function csvFieldErrors(error: ZodError): FieldError[] {
  const seen = new Set<string>();
  return fieldErrors(error)
    .map((e) => {
      const [head, sub] = e.path.split('.');
      const path = head === 'consent' ? `${sub}_consent` : (head ?? e.path);
      return { path, message: e.message };
    })
    .filter((e) => {
      const key = `${e.path}\u0000${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** True for a record with no content at all (a blank line): skipped, but it still counts as a row. */
export const isBlankRecord = (fields: string[]) => fields.every((f) => f.trim() === '');
