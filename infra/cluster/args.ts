import { parseArgs } from 'node:util';
import { z } from 'zod';

const schema = z.object({
  /** Keep PostgreSQL's data (service and Temporal) here across runs; default a fresh temporary folder. */
  dataDir: z.string().min(1).optional(),
  /** No Web UI. */
  headless: z.boolean().default(false),
  /** Build the binaries and exit (CI caches, or a first run ahead of time). */
  buildOnly: z.boolean().default(false),
});

export type ClusterArgs = z.infer<typeof schema>;

/**
 * `npm run cluster -- [--data-dir DIR] [--headless] [--build-only]`. Throws one line naming the
 * option at fault (an unknown option, a missing value).
 */
export function parseClusterArgs(argv: string[]): ClusterArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        headless: { type: 'boolean' },
        'build-only': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new Error(`invalid options: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse({
    dataDir: values['data-dir'],
    headless: values.headless,
    buildOnly: values['build-only'],
  });
  if (!parsed.success)
    throw new Error(
      `invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
