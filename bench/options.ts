import { parseArgs } from 'node:util';
import { z } from 'zod';

// `npm run bench -- --recipients N --rate R --json FILE` (plus a few knobs for partial runs).
const schema = z.object({
  recipients: z.coerce.number().int().min(1).max(9_999_999).default(10_000),
  /** The provider limit of the throttled run (sandbox and SMS_RATE_PER_SEC alike). */
  rate: z.coerce.number().int().min(1).max(100_000).default(100),
  json: z.string().min(1).optional(),
  /** Recipients of the throttled run; default: what the rate sends in about 30 s, at most `recipients`. */
  throttledRecipients: z.coerce.number().int().min(1).optional(),
  /** Recipients of the one-workflow-per-recipient run; default: all, sampled to 10,000 above that. */
  naiveRecipients: z.coerce.number().int().min(0).optional(),
  /** Skip phases (comma-separated: raw, throttled, naive) for a quicker look. */
  /** Write V8 CPU profiles of the workers and the API to this folder. */
  profile: z.string().min(1).optional(),
  /**
   * `survey`: only the monitoring-survey phase (bench/survey-phase.ts); `two-workers`: only a throttled
   * run (`--throttled-recipients` at `--rate`) with two delivery worker processes (bench/two-workers.ts).
   */
  phase: z.enum(['all', 'survey', 'two-workers']).default('all'),
  /** Survey phase: respondents, and inbound replies per second. */
  surveyRespondents: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  replyRate: z.coerce.number().positive().max(10_000).default(50),
  /** `--scale N`: only the scale phase (bench/scale/phase.ts) with an organization of N supporters. */
  scale: z.coerce.number().int().min(1000).max(10_000_000).optional(),
  /**
   * Scale phase: rows imported through the API (default N, at most 1,000,000; fewer are extrapolated
   * to N), seconds of the stage measured, calls per read.
   */
  importRows: z.coerce.number().int().min(100).max(1_000_000).optional(),
  scaleWindow: z.coerce.number().int().min(10).max(3600).default(90),
  scaleCalls: z.coerce.number().int().min(5).max(1000).default(40),
  /** Also run the campaign phases on the production-shaped cluster (bench/cluster-phase.ts). */
  cluster: z.boolean().default(false),
  skip: z
    .string()
    .regex(/^((raw|throttled|naive)(,|$))*$/, 'comma-separated: raw, throttled, naive')
    .default(''),
});

export type BenchOptions = z.infer<typeof schema> & {
  throttledRecipients: number;
  naiveRecipients: number;
  skipped: Set<string>;
};

export const THROTTLED_TARGET_S = 30;
export const NAIVE_SAMPLE = 10_000;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      recipients: { type: 'string' },
      rate: { type: 'string' },
      json: { type: 'string' },
      'throttled-recipients': { type: 'string' },
      'naive-recipients': { type: 'string' },
      skip: { type: 'string' },
      profile: { type: 'string' },
      phase: { type: 'string' },
      'survey-respondents': { type: 'string' },
      'reply-rate': { type: 'string' },
      scale: { type: 'string' },
      'import-rows': { type: 'string' },
      'scale-window': { type: 'string' },
      'scale-calls': { type: 'string' },
      cluster: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = schema.safeParse({
    recipients: values.recipients,
    rate: values.rate,
    json: values.json,
    throttledRecipients: values['throttled-recipients'],
    naiveRecipients: values['naive-recipients'],
    skip: values.skip,
    profile: values.profile,
    phase: values.phase,
    surveyRespondents: values['survey-respondents'],
    replyRate: values['reply-rate'],
    scale: values.scale,
    importRows: values['import-rows'],
    scaleWindow: values['scale-window'],
    scaleCalls: values['scale-calls'],
    cluster: values.cluster,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `--${String(i.path.join('.'))}: ${i.message}`);
    throw new Error(`invalid options: ${lines.join('; ')}`);
  }
  const o = parsed.data;
  return {
    ...o,
    throttledRecipients: o.throttledRecipients ?? Math.min(o.recipients, o.rate * THROTTLED_TARGET_S),
    naiveRecipients: o.naiveRecipients ?? Math.min(o.recipients, NAIVE_SAMPLE),
    skipped: new Set(o.skip.split(',').filter(Boolean)),
  };
}
