// `npm run partitions -- list | ensure [--months N] | detach --before YYYY-MM`: the monthly partitions
// of deliveries, action_events and inbound_messages (migration 017, db/partitions.ts) on DATABASE_URL.
// `detach` takes old months out of the service without deleting them; README (Operations) says how to
// archive or drop a detached partition.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../core/config';
import { required } from '../core/runtime';
import { connectDatabase } from '../db/client';
import {
  detachMonthPartitions,
  ensureMonthPartitions,
  listMonthPartitions,
  MONTHS_AHEAD,
  type MonthPartition,
  monthSchema,
} from '../db/partitions';

const USAGE = 'usage: npm run partitions -- list | ensure [--months N] | detach --before YYYY-MM';

const commandSchema = z.discriminatedUnion(
  'command',
  [
    z.object({ command: z.literal('list') }),
    z.object({
      command: z.literal('ensure'),
      months: z.coerce
        .number({ error: 'a whole number of months' })
        .int('a whole number of months')
        .min(0)
        .max(24)
        .default(MONTHS_AHEAD),
    }),
    z.object({
      command: z.literal('detach'),
      before: z.string({ error: 'required: the first month to keep, as YYYY-MM' }).pipe(monthSchema),
    }),
  ],
  { error: 'one of list, ensure, detach' },
);

class UsageError extends Error {}

function parseCommand(argv: string[]): z.infer<typeof commandSchema> {
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        options: { before: { type: 'string' }, months: { type: 'string' } },
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    }
  })();
  const [command, ...rest] = parsed.positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0]}\n${USAGE}`);
  const result = commandSchema.safeParse({ command, ...parsed.values });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path[0];
    const name = field === 'command' ? 'command' : `--${String(field)}`;
    throw new UsageError(`${name}: ${issue?.message}\n${USAGE}`);
  }
  return result.data;
}

function table(parts: MonthPartition[]): string {
  const lines = parts.map((p) =>
    [
      p.parent.padEnd(17),
      (p.month ?? 'default').padEnd(8),
      p.name.padEnd(30),
      String(Math.max(0, Math.round(p.estimatedRows))).padStart(12),
      `${(p.bytes / 1048576).toFixed(1)} MiB`.padStart(12),
    ].join(' '),
  );
  return [
    [
      'table'.padEnd(17),
      'month'.padEnd(8),
      'partition'.padEnd(30),
      '~rows'.padStart(12),
      'size'.padStart(12),
    ].join(' '),
    ...lines,
  ].join('\n');
}

try {
  const cmd = parseCommand(process.argv.slice(2));
  const config = loadConfig();
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
  });
  try {
    if (cmd.command === 'list') console.log(table(await listMonthPartitions(sql)));
    else if (cmd.command === 'ensure') {
      const created = await ensureMonthPartitions(sql, { monthsAhead: cmd.months });
      console.log(created.length ? `created: ${created.join(', ')}` : 'every partition exists');
    } else {
      const detached = await detachMonthPartitions(sql, { before: cmd.before });
      console.log(
        detached.length
          ? `detached (rows kept in these tables, no longer read by the service):\n${table(detached)}`
          : `no partition before ${cmd.before}`,
      );
    }
  } finally {
    await sql.end();
  }
} catch (err) {
  // Usage, partition and configuration errors are sentences for the operator; others keep their message.
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
