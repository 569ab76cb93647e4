import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { SandboxDeps } from './context';
import { logAccepted } from './context';
import { IdempotencyCache } from './idempotency';

const MAX_BATCH = 100;
const MAX_RECIPIENTS = 50;
const MAX_KEY_LENGTH = 256;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

const emailSchema = z.looseObject({
  from: z.string().min(1),
  to: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(MAX_RECIPIENTS)]),
  subject: z.string().min(1),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  reply_to: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  cc: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
});
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The headers as the recipient's mail client would see them: Reply-To and Cc included when given. */
function listedHeaders(e: EmailInput): Record<string, string> | null {
  const extra = {
    ...(e.reply_to ? { 'Reply-To': list(e.reply_to).join(', ') } : {}),
    ...(e.cc ? { Cc: list(e.cc).join(', ') } : {}),
  };
  return e.headers || Object.keys(extra).length > 0 ? { ...e.headers, ...extra } : null;
}
type EmailInput = z.infer<typeof emailSchema>;

/** Resend's error body, which the SDK hands back as `error`. */
function resendError(
  c: Context,
  statusCode: number,
  name: string,
  message: string,
  headers?: Record<string, string>,
) {
  return c.json({ statusCode, name, message }, statusCode as 400, headers);
}

const INVALID_TO =
  'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';

/** "Name <a@b.org>" → "a@b.org". */
const bareAddress = (value: string) => (/<([^>]+)>\s*$/.exec(value)?.[1] ?? value).trim();
const recipients = (e: EmailInput) => (Array.isArray(e.to) ? e.to : [e.to]).map(bareAddress);

function validate(items: unknown[]): { emails: EmailInput[] } | { error: string } {
  const emails: EmailInput[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = emailSchema.safeParse(item);
    const where = items.length > 1 ? ` (email ${index})` : '';
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        error: `Invalid \`${issue?.path.join('.') || 'body'}\` field${where}: ${issue?.message ?? 'invalid'}`,
      };
    }
    if (parsed.data.html === undefined && parsed.data.text === undefined) {
      return { error: `Missing \`html\` or \`text\` field${where}.` };
    }
    if (!recipients(parsed.data).every((a) => EMAIL.test(a))) return { error: `${INVALID_TO}${where}` };
    emails.push(parsed.data);
  }
  return { emails };
}

function authorized(c: Context, deps: SandboxDeps): 'ok' | 'missing' | 'invalid' {
  const header = c.req.header('authorization') ?? '';
  if (!header.startsWith('Bearer ') || header.length <= 7) return 'missing';
  if (deps.resendApiKey !== undefined && header.slice(7) !== deps.resendApiKey) return 'invalid';
  return 'ok';
}

/** Resend's POST /emails and POST /emails/batch, honouring Idempotency-Key. */
export function registerResendRoutes(app: Hono, deps: SandboxDeps): void {
  app.use('/emails', gate);
  app.use('/emails/*', gate);

  async function gate(c: Context, next: () => Promise<void>) {
    await deps.faults.delay();
    const auth = authorized(c, deps);
    if (auth === 'missing')
      return resendError(c, 401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (auth === 'invalid') return resendError(c, 403, 'invalid_api_key', 'API key is invalid');
    await next();
  }

  async function send(c: Context, batch: boolean) {
    const raw = await c.req.text();
    const now = deps.now().getTime();
    const admission = deps.faults.admit('email', now);
    if (!admission.ok && admission.reason === 'rate_limited') {
      deps.store.reject('email', 'rejected429');
      return resendError(
        c,
        429,
        'rate_limit_exceeded',
        `Too many requests. You can only make ${admission.limit} requests per second.`,
        {
          'retry-after': String(admission.retryAfterSec),
          'ratelimit-limit': String(admission.limit),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(admission.retryAfterSec),
        },
      );
    }
    if (!admission.ok) {
      deps.store.reject(
        'email',
        admission.status === 429
          ? 'rejected429'
          : admission.status >= 500
            ? 'rejected5xx'
            : 'rejectedPermanent',
      );
      return resendError(c, admission.status, 'internal_server_error', 'An unexpected error occurred.');
    }

    const key = c.req.header('idempotency-key');
    const fingerprint = IdempotencyCache.fingerprint(c.req.path, raw);
    if (key !== undefined) {
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        return resendError(c, 400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
      }
      const hit = deps.idempotency.lookup(key, fingerprint, now);
      if (hit.kind === 'replay') return c.json(hit.body as object, hit.status as 200);
      if (hit.kind === 'conflict') {
        return resendError(
          c,
          409,
          'invalid_idempotent_request',
          'Same idempotency key used with a different request payload.',
        );
      }
    }

    const permanent = (name: string, message: string) => {
      deps.store.reject('email', 'rejectedPermanent');
      return resendError(c, 422, name, message);
    };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return permanent('validation_error', 'The request body is not valid JSON.');
    }
    if (batch && (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH)) {
      return permanent('validation_error', `The batch must be an array of 1 to ${MAX_BATCH} emails.`);
    }
    const checked = validate(batch ? (body as unknown[]) : [body]);
    if ('error' in checked) return permanent('validation_error', checked.error);
    if (checked.emails.some((e) => recipients(e).some((a) => deps.faults.fails(a)))) {
      return permanent('validation_error', INVALID_TO);
    }

    const ids = checked.emails.map((e) => accept(e));
    const answer = batch ? { data: ids.map((id) => ({ id })) } : { id: ids[0] };
    if (key !== undefined) deps.idempotency.remember(key, fingerprint, 200, answer, now);
    return c.json(answer, 200);
  }

  function accept(e: EmailInput): string {
    const id = randomUUID();
    const at = deps.now().toISOString();
    const to = recipients(e);
    const msg = deps.store.accept({
      id,
      channel: 'email',
      to: to.join(', '),
      from: e.from,
      body: e.text ?? null,
      subject: e.subject,
      html: e.html ?? null,
      text: e.text ?? null,
      headers: listedHeaders(e),
      replyTo:
        typeof e.reply_to === 'string'
          ? e.reply_to
          : Array.isArray(e.reply_to)
            ? e.reply_to.join(', ')
            : null,
      segments: null,
      acceptedAt: at,
      updatedAt: at,
      status: 'queued',
      dateSent: null,
      errorCode: null,
      messagingServiceSid: null,
    });
    logAccepted(deps, 'email', msg);
    deps.callbacks.emailAccepted(
      msg,
      to.some((a) => deps.faults.bounces(a)),
    );
    return id;
  }

  // The Email resource (`resend.emails.get(id)`): what reconciliation asks. `last_event` is the
  // provider-side status the callback dispatcher advanced (sent, delivered, bounced, …).
  app.get('/emails/:id', (c) => {
    const msg = deps.store.find(c.req.param('id'));
    if (msg?.channel !== 'email') return resendError(c, 404, 'not_found', 'Email not found');
    return c.json({
      object: 'email',
      id: msg.id,
      to: msg.to.split(', '),
      from: msg.from,
      created_at: msg.acceptedAt,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      bcc: null,
      cc: null,
      reply_to: msg.replyTo ? msg.replyTo.split(', ') : null,
      message_id: `<${msg.id}@sandbox>`,
      last_event: msg.status,
      scheduled_at: null,
    });
  });

  app.post('/emails', (c) => send(c, false));
  app.post('/emails/batch', (c) => send(c, true));
}
