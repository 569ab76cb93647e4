import { z } from 'zod';

// Every variable the service reads. Parsed once, at each entry point, and passed down.
/** Where the service finds Temporal when nothing is configured: the dev server `npm run dev` starts. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().optional(),
  // A short origin the organization owns (e.g. https://ua.example) that routes /a/ and /u/ to this API:
  // SMS links use it instead of PUBLIC_BASE_URL, origin only (no path, query or fragment).
  SHORT_LINK_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .refine((u) => /^https?:\/\/[^/?#]+\/?$/.test(u), 'an origin only, e.g. https://ua.example')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATABASE_CONNECT_TIMEOUT_S: z.coerce.number().int().min(1).default(8),
  /** PostgreSQL connections of one API process (every webhook and request shares them). */
  API_DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  TEMPORAL_ADDRESS: z.string().default(DEFAULT_TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_CLI_PATH: z.string().optional(),
  PAYLOAD_KEYS: z.string().optional(),
  PAYLOAD_KEY_ID: z.string().optional(),
  LINK_SECRET: z.string().min(16).optional(),
  // HMAC key of the suppression list (db/suppressions.ts). Never change it: entries keyed with an old
  // key no longer match, and the numbers behind them cannot be recovered to re-key them.
  SUPPRESSION_KEY: z.string().min(32, 'at least 32 characters, e.g. openssl rand -base64 32').optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_FROM_NUMBER: z.string().optional(),
  TWILIO_BASE_URL: z.url().optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_FROM: z.string().default('Urgent Action <alerts@example.org>'),
  RESEND_BASE_URL: z.url().optional(),
  RESEND_WEBHOOK_SECRET: z.string().optional(),
  // Console sessions (db/sessions.ts): signed out after this much inactivity, and after this long in any case.
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  SMS_RATE_PER_SEC: z.coerce.number().positive().default(50),
  EMAIL_RATE_PER_SEC: z.coerce.number().positive().default(100),
  // Delivery pages one worker process runs at once (SMS and email queues each). While it runs this
  // many it stops polling, so further pages go to other worker processes; they all share the
  // provider's rate (activities/shared-rate.ts), so more pages add memory, not speed.
  DELIVERY_PAGES_PER_WORKER: z.coerce.number().int().min(1).max(256).default(16),
  SMS_PRICE_PER_SEGMENT: z.coerce.number().nonnegative().default(0.0079),
  EMAIL_PRICE: z.coerce.number().nonnegative().default(0.0004),
  // Monitoring surveys: while a round's first question goes out, conversations are opened (and time out) this often.
  SURVEY_SWEEP_SECONDS: z.coerce.number().positive().default(60),
  // Token buckets (api/middleware/rate-limit.ts): each allows this many requests per minute, refilled evenly.
  RATE_LIMIT_PER_TOKEN_PER_MIN: z.coerce.number().int().positive().default(600),
  // Supporter links /a and /u, and /v1 calls without a bearer token, per client IP.
  RATE_LIMIT_PER_IP_PER_MIN: z.coerce.number().int().positive().default(300),
  // Provider and partner webhooks, per client IP. Unset: 3 callbacks per message at the configured
  // send rates, at least 6,000. Production: Twilio and Resend post from a few addresses, so set it
  // above 3 × (SMS_RATE_PER_SEC + EMAIL_RATE_PER_SEC) × 60 or their retries pile up.
  RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: z.coerce.number().int().positive().optional(),
  // Behind a reverse proxy the client IP is the right-most X-Forwarded-For entry; off, the socket address.
  RATE_LIMIT_TRUST_PROXY: bool.default(false),
  CODEC_AUTH: bool.default(true),
  CODEC_CORS_ORIGIN: z.string().default('http://127.0.0.1:8233,http://localhost:8233'),
  // Workflow code bundled ahead (npm run build; npm run start:worker sets it): the orchestrator
  // worker then loads no bundler, about 110 MB less resident memory. Unset: it bundles at start.
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  WORKER_ROLES: z
    .string()
    .regex(
      /^(orchestrator|sms|email)(,(orchestrator|sms|email))*$/,
      'comma-separated roles: orchestrator, sms, email',
    )
    .default('orchestrator,sms,email'),
  // Set by `npm run dev` for its API: /healthz answers it in X-Instance-Id, so the supervisor never
  // takes another program on the same port (an orphan of an earlier run) for its own API.
  INSTANCE_ID: z.string().min(1).optional(),
  // Operations (README "Operations"). Workers serve /metrics, /livez and /readyz on METRICS_PORT
  // (off when unset) at METRICS_HOST; the Temporal SDK exports its own Prometheus metrics on
  // TEMPORAL_METRICS_PORT (loopback; a free port when unset), appended to the worker's /metrics.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // When set, GET /metrics (API and workers) answers only `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: z.string().min(16).optional(),
  // Status reconciliation (workflows/reconcile.ts): deliveries left accepted/sent longer than
  // RECONCILE_AFTER_MINUTES, created within RECONCILE_WINDOW_HOURS, are asked about every
  // RECONCILE_EVERY_MINUTES, at most RECONCILE_RATE_PER_SEC provider lookups a second.
  RECONCILE_AFTER_MINUTES: z.coerce.number().positive().default(30),
  RECONCILE_EVERY_MINUTES: z.coerce.number().positive().default(5),
  RECONCILE_WINDOW_HOURS: z.coerce.number().positive().default(72),
  RECONCILE_RATE_PER_SEC: z.coerce.number().positive().default(10),
  // Resend events for an email id never recorded (mail that is no delivery) are dropped after this.
  PARKED_EVENT_RETENTION_HOURS: z.coerce.number().positive().default(72),
  // SIGTERM: workers stop polling and give in-flight activities this long before cancelling them.
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; the error names each bad variable on one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}
