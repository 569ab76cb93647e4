import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { SandboxDeps } from './context';
import { logAccepted } from './context';
import { countSmsSegments } from './segments';
import { listMessages } from './twilio-list';
import { messageResource, TWILIO_API_VERSION, twilioError } from './twilio-wire';

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY = 1600;

const FAIL_MESSAGES: Record<number, (to: string) => string> = {
  21211: (to) => `The 'To' number ${to} is not a valid phone number.`,
  21610: () => 'Attempt to send to unsubscribed recipient',
  21612: (to) =>
    `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
  21614: (to) => `'To' number ${to} is not a valid mobile number`,
};

function fail(c: Context, status: number, code: number, message: string, headers?: Record<string, string>) {
  return c.json(twilioError(status, code, message), status as 400, headers);
}

function authorized(c: Context, deps: SandboxDeps): boolean {
  const header = c.req.header('authorization') ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${deps.accountSid}:${deps.authToken}`;
}

/** The Twilio Messages API subset: create and list. */
export function registerTwilioRoutes(app: Hono, deps: SandboxDeps): void {
  const path = `/${TWILIO_API_VERSION}/Accounts/:sid/Messages.json`;

  app.use(`/${TWILIO_API_VERSION}/*`, async (c, next) => {
    await deps.faults.delay();
    if (!authorized(c, deps)) return fail(c, 401, 20003, 'Authenticate');
    await next();
  });

  app.get(path, (c) => {
    if (c.req.param('sid') !== deps.accountSid)
      return fail(c, 404, 20404, 'The requested resource was not found');
    const result = listMessages(deps, new URL(c.req.url));
    if (result.error !== undefined) return fail(c, 400, 20001, result.error);
    return c.json(result.page);
  });

  // The Message resource by SID (`client.messages(sid).fetch()`): what reconciliation asks.
  app.get(`/${TWILIO_API_VERSION}/Accounts/:sid/Messages/:messageSid{[A-Za-z0-9]+\\.json}`, (c) => {
    const messageSid = c.req.param('messageSid').replace(/\.json$/, '');
    const msg = c.req.param('sid') === deps.accountSid ? deps.store.find(messageSid) : undefined;
    if (msg?.channel !== 'sms')
      return fail(
        c,
        404,
        20404,
        `The requested resource /${TWILIO_API_VERSION}/Accounts/${c.req.param('sid')}/Messages/${messageSid}.json was not found`,
      );
    return c.json(messageResource(msg, deps.accountSid));
  });

  app.post(path, async (c) => {
    if (c.req.param('sid') !== deps.accountSid)
      return fail(c, 404, 20404, 'The requested resource was not found');
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    const to = str('To');
    const from = str('From');
    const messagingServiceSid = str('MessagingServiceSid');
    const body = str('Body');

    const admission = deps.faults.admit('sms', deps.now().getTime());
    if (!admission.ok && admission.reason === 'rate_limited') {
      deps.store.reject('sms', 'rejected429');
      return fail(c, 429, 20429, 'Too Many Requests', { 'Retry-After': String(admission.retryAfterSec) });
    }
    if (!admission.ok) {
      deps.store.reject(
        'sms',
        admission.status === 429
          ? 'rejected429'
          : admission.status >= 500
            ? 'rejected5xx'
            : 'rejectedPermanent',
      );
      return fail(c, admission.status, 20500, 'Internal Server Error');
    }

    const invalid = (code: number, message: string) => {
      deps.store.reject('sms', 'rejectedPermanent');
      return fail(c, 400, code, message);
    };
    if (!to) return invalid(21604, "A 'To' phone number is required.");
    if (!from && !messagingServiceSid)
      return invalid(21603, "A 'From' or 'MessagingServiceSid' parameter is required.");
    if (!body) return invalid(21602, 'Message body is required.');
    if (body.length > MAX_BODY)
      return invalid(21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (!E164.test(to)) return invalid(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (deps.faults.fails(to)) {
      const code = deps.faults.config.failTwilioCode;
      return invalid(code, (FAIL_MESSAGES[code] ?? FAIL_MESSAGES[21211]!)(to));
    }

    const now = deps.now().toISOString();
    const msg = deps.store.accept({
      id: `SM${randomBytes(16).toString('hex')}`,
      channel: 'sms',
      to,
      from: from ?? null,
      body,
      subject: null,
      html: null,
      text: null,
      headers: null,
      segments: countSmsSegments(body),
      acceptedAt: now,
      updatedAt: now,
      status: from ? 'queued' : 'accepted',
      dateSent: null,
      errorCode: null,
      messagingServiceSid: messagingServiceSid ?? null,
    });
    logAccepted(deps, 'sms', msg);
    deps.callbacks.smsAccepted(msg, str('StatusCallback'), deps.faults.bounces(to));
    return c.json(messageResource(msg, deps.accountSid), 201);
  });
}
