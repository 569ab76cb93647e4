import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { Sql } from '../db/client';
import { upsertSupporterBatch } from '../db/supporter-batch';
import type { NormalizedSupporter } from '../db/supporters';
import { type CsvHeader, csvFieldErrors, csvRecordToInput, isBlankRecord, readHeader } from './csv-supporter';
import { badRequest, type FieldError, ProblemError } from './problem';
import { SupporterInputSchema } from './schemas/supporter';
import { normalizeSupporter } from './supporter-input';

export const IMPORT_BATCH_ROWS = 500;
export const MAX_REJECTED_LISTED = 1000;

export interface ImportResult {
  created: number;
  updated: number;
  rejected: Array<{ row: number; errors: FieldError[] }>;
  rejectedTotal: number;
}

/**
 * Streams a supporters CSV into the organization: records are parsed as they arrive, validated one
 * by one and upserted IMPORT_BATCH_ROWS at a time, so memory stays flat whatever the file size.
 * Rows are spreadsheet rows: the header is row 1, the first data row is row 2.
 */
export async function importSupportersCsv(
  body: Readable,
  opts: { sql: Sql; orgId: string; region: string },
): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, rejected: [], rejectedTotal: 0 };
  let header: CsvHeader | undefined;
  let row = 0;
  let batch: NormalizedSupporter[] = [];

  const reject = (errors: FieldError[]) => {
    result.rejectedTotal++;
    if (result.rejected.length < MAX_REJECTED_LISTED) result.rejected.push({ row, errors });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const created = await upsertSupporterBatch(opts.sql, opts.orgId, batch);
    batch = [];
    for (const c of created) c ? result.created++ : result.updated++;
  };

  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: 65_536 });
  try {
    await pipeline(body, parser, async (records: AsyncIterable<string[]>) => {
      for await (const fields of records) {
        row++;
        if (!header) {
          const read = readHeader(fields);
          if ('errors' in read)
            throw badRequest(`Invalid header ${read.errors.map((e) => e.path).join(', ')}`, read.errors);
          header = read.header;
          continue;
        }
        if (isBlankRecord(fields)) continue;
        const cells = csvRecordToInput(fields, header);
        if ('errors' in cells) {
          reject(cells.errors);
          continue;
        }
        const parsed = SupporterInputSchema.safeParse(cells.input);
        if (!parsed.success) {
          reject(csvFieldErrors(parsed.error));
          continue;
        }
        const normalized = normalizeSupporter(parsed.data, opts.region);
        if ('errors' in normalized) {
          reject(normalized.errors);
          continue;
        }
        batch.push(normalized.value);
        if (batch.length >= IMPORT_BATCH_ROWS) await flush();
      }
      await flush();
    });
  } catch (err) {
    throw stoppedEarly(err, row, result);
  }
  if (!header) throw badRequest('The file is empty: expected the header row first');
  return result;
}

/** A file that stops parsing part-way says what was already imported, so fixing and re-importing is safe. */
function stoppedEarly(err: unknown, row: number, r: ImportResult): unknown {
  const progress =
    row > 1
      ? ` Rows before it were imported (created ${r.created}, updated ${r.updated}, rejected ${r.rejectedTotal}); re-importing the fixed file updates them rather than duplicating them.`
      : '';
  if (err instanceof CsvError) {
    const at = row + 1;
    return badRequest(`CSV syntax error at row ${at}: ${err.message}.${progress}`, [
      { path: `row ${at}`, message: err.message },
    ]);
  }
  if (err instanceof ProblemError && err.status === 413) {
    return new ProblemError(413, err.title, `${err.detail ?? ''}.${progress}`.trim());
  }
  return err;
}
