import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { suppressionKeys } from '../../core/runtime';
import { deliveryChannelSchema } from '../../domain/channels';
import { suppressionSourceSchema } from '../../domain/suppression-sources';
import type { AppDeps, AppEnv } from '../context';
import { ProblemError } from '../errors/problem';
import { IMPORT_BATCH_ROWS, importSupportersCsv, MAX_REJECTED_LISTED } from '../import/csv-import';
import { CSV_COLUMNS } from '../import/csv-supporter';
import { orgInput } from '../import/supporter-input';
import { requireRole } from '../middleware/auth';
import { limitedBodyStream } from '../middleware/body-stream';
import { errorResponses, ProblemSchema, security } from '../schemas/common';
import { audit } from '../services/audit';

export const IMPORT_PATH = '/v1/supporters/import';
/** This route is exempt from the app-wide JSON limit (api/app.ts) and enforces its own, streaming. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const ImportResultSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z
      .array(
        z.object({
          row: z.number().int().openapi({
            description:
              'Spreadsheet row number: the header is row 1, the first data row is row 2 (blank lines count).',
          }),
          errors: z.array(z.object({ path: z.string(), message: z.string() })),
        }),
      )
      .max(MAX_REJECTED_LISTED),
    rejectedTotal: z
      .number()
      .int()
      .openapi({ description: `Every rejected row; \`rejected\` lists the first ${MAX_REJECTED_LISTED}.` }),
    suppressed: z
      .array(
        z.object({
          row: z.number().int(),
          channel: deliveryChannelSchema,
          source: suppressionSourceSchema,
        }),
      )
      .max(MAX_REJECTED_LISTED)
      .openapi({
        description:
          'Imported rows that claim consent for a phone or email on the suppression list: the supporter is imported but stays opted out on that channel (`source` says why).',
      }),
    suppressedTotal: z
      .number()
      .int()
      .openapi({ description: `Every such row; \`suppressed\` lists the first ${MAX_REJECTED_LISTED}.` }),
  })
  .openapi('SupporterImportResult');

// What browsers and tools label a CSV or Excel "Unicode text" file with (Windows says vnd.ms-excel).
const CSV_TYPES = new Set([
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
]);

export function registerSupporterImportRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  const keys = suppressionKeys(deps.config);
  app.use(IMPORT_PATH, requireRole(sql, ['organizer', 'admin']));

  app.post(IMPORT_PATH, async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!CSV_TYPES.has(type))
      throw new ProblemError(415, 'Unsupported media type', 'Send the file as text/csv');
    const principal = c.get('principal');
    const result = await importSupportersCsv(limitedBodyStream(c, MAX_IMPORT_BYTES), {
      sql,
      orgId: principal.orgId,
      org: await orgInput(sql, principal.orgId),
      keys,
    });
    await audit(sql, principal, 'supporter.import', 'supporters', {
      created: result.created,
      updated: result.updated,
      rejected: result.rejectedTotal,
      suppressed: result.suppressedTotal,
    });
    return c.json(result, 200);
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: IMPORT_PATH,
    tags: ['supporters'],
    summary: 'Import supporters from a CSV file (streamed; a 100,000-row file is fine)',
    description: [
      `Header row (any order): columns among \`${CSV_COLUMNS.join(',')}\`, with phone or email at least.`,
      'Cells are separated by commas, semicolons or tabs (found from the header); the file may be UTF-8 (with',
      'or without BOM), UTF-16 (Excel "Unicode text") or Windows-1252.',
      'An empty cell, or a column the file leaves out, keeps what is stored (a new supporter gets the',
      'defaults); to change a value, write it. Tags are separated by `;` and added to the stored ones.',
      'Consent cells take true/false, yes/no, 1/0 or empty (unchanged).',
      'Each row is validated like POST /v1/supporters and upserted by phone or email; a bad row is',
      'reported and skipped, the others are imported. Rows in `rejected` are spreadsheet row numbers:',
      'the header is row 1, the first data row is row 2.',
      `Rows are written ${IMPORT_BATCH_ROWS} per transaction: a file that fails part-way (syntax`,
      'error, size limit) keeps the rows before the failure, and importing it again updates them.',
      `Body limit: ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`,
    ].join(' '),
    security,
    request: {
      body: {
        required: true,
        content: {
          'text/csv': {
            schema: { type: 'string' },
            example:
              'name,phone,email,locale,timezone,tags,sms_consent,email_consent\nSophea,+1 978 555 0100,s@example.org,km,America/New_York,lowell;boston,yes,yes\n',
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Counts of created and updated supporters, and each rejected row with its errors',
        content: { 'application/json': { schema: ImportResultSchema } },
      },
      ...errorResponses,
      413: problem('File larger than the limit'),
      415: problem('Not text/csv'),
    },
  });
}
