import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../../core/config';
import type { AppEnv, ConsoleBindings } from '../context';
import { type ProblemBody, problemBody, problemResponse } from '../errors/problem';
import { bearer } from './auth';

// Buckets idle this long are full again and can be forgotten.
const SWEEP_EVERY_MS = 60_000;

type Take = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * In-process token buckets: each key may burst `perMinute` requests and is refilled evenly over a
 * minute. One process only; several API replicas each allow their own share.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.lastSweep = now();
  }

  take(key: string): Take {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs)
      : this.perMinute;
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { ok: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  get size() {
    return this.buckets.size;
  }

  private sweep(now: number) {
    this.lastSweep = now;
    const fullAfterMs = 60_000;
    for (const [key, b] of this.buckets) if (now - b.at >= fullAfterMs) this.buckets.delete(key);
  }
}

/** The peer address (Node server), or the right-most X-Forwarded-For entry behind a trusted proxy. */
export function clientIp(c: Context, trustProxy: boolean): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return peerAddress(incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), trustProxy);
}

/** clientIp from the socket's remote address and the X-Forwarded-For header (any server). */
export function peerAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = forwardedFor?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const address = remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The 429 answer of a limit: its problem body and Retry-After (seconds). */
export function rateLimited(
  buckets: TokenBuckets,
  scope: string,
  retryAfterSec: number,
): { body: ProblemBody; retryAfter: string } {
  return {
    body: problemBody(
      'rate-limited',
      `At most ${buckets.perMinute} requests per minute per ${scope}; retry after ${retryAfterSec} s`,
    ),
    retryAfter: String(retryAfterSec),
  };
}

// Buckets are keyed by a digest so plaintext tokens do not sit in memory longer than the request.
const tokenKey = (token: string) => `token:${createHash('sha256').update(token).digest('base64url')}`;

/** Options factory: one bucket set, a key per request (undefined: not limited here). */
export function rateLimit(opts: {
  buckets: TokenBuckets;
  scope: string;
  key: (c: Context<AppEnv>) => string | undefined;
}): MiddlewareHandler<AppEnv> {
  return async function limitRate(c, next) {
    const key = opts.key(c);
    if (key !== undefined) {
      const taken = opts.buckets.take(key);
      if (!taken.ok) {
        const refusal = rateLimited(opts.buckets, opts.scope, taken.retryAfterSec);
        c.header('retry-after', refusal.retryAfter);
        return problemResponse(c, refusal.body);
      }
    }
    await next();
  };
}

/** Webhook allowance when none is configured: three callbacks per message at the configured send rates. */
export function webhookPerMinute(config: Config): number {
  return (
    config.RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN ??
    Math.max(6_000, Math.ceil(3 * (config.SMS_RATE_PER_SEC + config.EMAIL_RATE_PER_SEC) * 60))
  );
}

/** The webhooks' limit, per client address: shared by the Hono middleware and the Node fast path. */
export interface WebhookLimit {
  buckets: TokenBuckets;
  scope: string;
  trustProxy: boolean;
}

/**
 * /v1 calls are limited per bearer token (per IP without one); supporter links, webhooks and console
 * sign-in per IP.
 * Register before the routes so a limited request never reaches authentication or the database.
 * Returns the webhooks' limit, for the requests answered before Hono (api/twilio-status-fast-path.ts).
 */
export function registerRateLimits(app: OpenAPIHono<AppEnv>, config: Config): WebhookLimit {
  const trust = config.RATE_LIMIT_TRUST_PROXY;
  const perToken = new TokenBuckets(config.RATE_LIMIT_PER_TOKEN_PER_MIN);
  const perIp = new TokenBuckets(config.RATE_LIMIT_PER_IP_PER_MIN);
  const webhooks = new TokenBuckets(webhookPerMinute(config));
  const isWebhook = (c: Context) => c.req.path.startsWith('/v1/webhooks/');
  const byIp = (c: Context) => `ip:${clientIp(c, trust)}`;

  app.use(
    '/v1/*',
    rateLimit({
      buckets: perToken,
      scope: 'token',
      key: (c) => {
        if (isWebhook(c)) return undefined;
        // The console's calls for a signed-in person: limited per person.
        const person = (c.env as ConsoleBindings | undefined)?.consolePrincipal?.personId;
        if (person) return `person:${person}`;
        const token = bearer(c.req.header('authorization'));
        return token ? tokenKey(token) : undefined;
      },
    }),
  );
  app.use(
    '/v1/*',
    rateLimit({
      buckets: perIp,
      scope: 'client address',
      key: (c) =>
        isWebhook(c) ||
        bearer(c.req.header('authorization')) ||
        (c.env as ConsoleBindings | undefined)?.consolePrincipal
          ? undefined
          : byIp(c),
    }),
  );
  const webhookLimit = { buckets: webhooks, scope: 'client address', trustProxy: trust };
  app.use('/v1/webhooks/*', rateLimit({ buckets: webhooks, scope: webhookLimit.scope, key: byIp }));
  for (const path of ['/a/*', '/u/*']) {
    app.use(path, rateLimit({ buckets: perIp, scope: 'client address', key: byIp }));
  }
  // Console sign-in takes an API token: guesses are limited like anonymous /v1 calls.
  app.use(
    '/console/login',
    rateLimit({
      buckets: perIp,
      scope: 'client address',
      key: (c) => (c.req.method === 'POST' ? byIp(c) : undefined),
    }),
  );
  return webhookLimit;
}
