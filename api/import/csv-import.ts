import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import type { ContactKeys } from '../../core/contact-key';
import type { Sql } from '../../db/client';
import { type BatchRow, upsertSupporterBatch } from '../../db/supporter-batch';
import type { DeliveryChannel } from '../../domain/channels';
import type { SuppressionSource } from '../../domain/suppression-sources';
import { badRequest, type FieldError, ProblemError } from '../errors/problem';
import { SupporterInputSchema } from '../schemas/supporter';
import { delimiterName, openCsv } from './csv-dialect';
import {
  CSV_COLUMNS,
  type CsvHeader,
  csvFieldErrors,
  csvRecordToInput,
  isBlankRecord,
  readHeader,
} from './csv-supporter';
import { normalizeSupporter, type OrgInput } from './supporter-input';

export const IMPORT_BATCH_ROWS = 500;
export const MAX_REJECTED_LISTED = 1000;

export interface ImportResult {
  created: number;
  updated: number;
  rejected: Array<{ row: number; errors: FieldError[] }>;
  rejectedTotal: number;
  /** Imported rows claiming consent for a phone or email on the suppression list: opted out anyway. */
  suppressed: Array<{ row: number; channel: DeliveryChannel; source: SuppressionSource }>;
  suppressedTotal: number;
}

const CONFLICT: FieldError = {
  path: '(row)',
  message: 'the phone is one supporter’s and the email another’s; nothing was changed',
};

/**
 * Streams a supporters CSV into the organization: records are parsed as they arrive, validated one
 * by one and upserted IMPORT_BATCH_ROWS at a time, so memory stays flat whatever the file size.
 * Rows are spreadsheet rows: the header is row 1, the first data row is row 2, blank lines count.
 */
export async function importSupportersCsv(
  body: Readable,
  opts: { sql: Sql; orgId: string; org: OrgInput; keys: ContactKeys },
): Promise<ImportResult> {
  const result: ImportResult = {
    created: 0,
    updated: 0,
    rejected: [],
    rejectedTotal: 0,
    suppressed: [],
    suppressedTotal: 0,
  };
  let header: CsvHeader | undefined;
  let row = 0;
  let batch: BatchRow[] = [];
  // Malformed records are skipped by the parser (which runs ahead of us): each becomes a rejected row.
  const skipped: Array<{ before: number; message: string }> = [];
  let emitted = 0;

  const reject = (at: number, errors: FieldError[]) => {
    result.rejectedTotal++;
    if (result.rejected.length < MAX_REJECTED_LISTED) result.rejected.push({ row: at, errors });
  };
  const drainSkipped = (untilEmitted: number) => {
    while (skipped.length > 0 && skipped[0]!.before < untilEmitted) {
      const skip = skipped.shift()!;
      row++;
      if (!header) throw badRequest(`The header row is not valid CSV: ${skip.message}`);
      reject(row, [{ path: '(row)', message: `not valid CSV: ${skip.message}` }]);
    }
  };
  // One batch is written while the next is parsed; batches still commit in file order.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    writing = upsertSupporterBatch(opts.sql, opts.orgId, rows, opts.keys).then((outcome) => {
      result.created += outcome.created;
      result.updated += outcome.updated;
      for (const at of outcome.conflicts) reject(at, [CONFLICT]);
      for (const { key, ...s } of outcome.suppressed) {
        result.suppressedTotal++;
        if (result.suppressed.length < MAX_REJECTED_LISTED) result.suppressed.push({ row: key, ...s });
      }
    });
    // Observed by the next flush; this only keeps a failure from counting as unhandled meanwhile.
    writing.catch(() => {});
  };
  const finish = async () => {
    await flush();
    await writing;
  };

  const { dialect, text } = await openCsv(body);
  const parser = parse({
    bom: true,
    delimiter: dialect.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: 65_536,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err)
        skipped.push({ before: (err as CsvError & { records: number }).records, message: err.message });
    },
  });
  try {
    await pipeline(text, parser, async (records: AsyncIterable<string[]>) => {
      for await (const fields of records) {
        emitted++;
        drainSkipped(emitted);
        row++;
        if (!header) {
          const read = readHeader(fields);
          if ('errors' in read)
            throw badRequest(
              `Invalid header ${read.errors.map((e) => e.path).join(', ')} (read as ${dialect.encoding}, cells separated by ${delimiterName(dialect.delimiter)}; expected columns among ${CSV_COLUMNS.join(', ')})`,
              read.errors,
            );
          header = read.header;
          continue;
        }
        if (isBlankRecord(fields)) continue;
        const value = validRow(fields, header, opts.org);
        if ('errors' in value) reject(row, value.errors);
        else batch.push({ key: row, value: value.value });
        if (batch.length >= IMPORT_BATCH_ROWS) await flush();
      }
      drainSkipped(Number.POSITIVE_INFINITY);
      await finish();
    });
  } catch (err) {
    // The rows before the size limit are good: keep them, as the answer says.
    if (err instanceof ProblemError && err.status === 413) {
      await finish();
      throw new ProblemError(413, err.title, `${err.detail}. ${progress(result)}`);
    }
    await writing.catch(() => {});
    throw err;
  }
  if (!header) throw badRequest('The file is empty: expected the header row first');
  result.rejected.sort((a, b) => a.row - b.row);
  result.suppressed.sort((a, b) => a.row - b.row);
  return result;
}

function validRow(fields: string[], header: CsvHeader, org: OrgInput) {
  const cells = csvRecordToInput(fields, header);
  if ('errors' in cells) return cells;
  const parsed = SupporterInputSchema.safeParse(cells.input);
  if (!parsed.success) return { errors: csvFieldErrors(parsed.error) };
  return normalizeSupporter(parsed.data, org);
}

const progress = (r: ImportResult) =>
  `Rows before it were imported (created ${r.created}, updated ${r.updated}, rejected ${r.rejectedTotal}); importing the file again updates them rather than duplicating them.`;
