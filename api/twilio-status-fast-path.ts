import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger';
import { unexpectedFailure } from './errors/error-handler';
import { type ProblemBody, ProblemError, problemBody } from './errors/problem';
import { peerAddress, rateLimited, type WebhookLimit } from './middleware/rate-limit';
import { logAccess } from './middleware/request-log';
import { countWebhookAnswer } from './routes/metrics';
import type { TwilioWebhookRequest } from './services/twilio-form';
import { TWILIO_STATUS_PATH } from './services/twilio-status';

// As hono/request-id: a caller's id is kept when it is short and plain.
const REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * Answers Twilio's status callbacks on Node's request listener, before Hono. During a stage they are
 * nearly every request the API gets (two per SMS), and Hono's Node adapter, routing and
 * middleware cost about as much as the callback's own work: 0.27 ms of API CPU per callback through
 * Hono against 0.15 through this path (`npm run bench:callbacks`, 20,000 signed callbacks, PostgreSQL
 * apart; README "Where the CPU goes"). What the callback gets is what the Hono route gives (the same handler,
 * api/services/twilio-status.ts): the webhooks' rate limit per client address (the same buckets),
 * the JSON body limit, problem+json refusals counted in the webhook metrics, X-Request-Id, and the
 * access line. Browser-facing security headers are left out (a provider reads the answer, no
 * browser renders it), except `X-Content-Type-Options`.
 *
 * Returns a listener that takes the request and answers true, or leaves it untouched and answers
 * false (any other request, for Hono).
 */
export function twilioStatusFastPath(opts: {
  handle: (req: TwilioWebhookRequest) => Promise<void>;
  limit: WebhookLimit;
  maxBodyBytes: number;
  log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => boolean {
  return function fastPath(req, res) {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !(url === TWILIO_STATUS_PATH || url.startsWith(`${TWILIO_STATUS_PATH}?`)))
      return false;
    void answer(req, res, url);
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    let status = 204;
    let problem: ProblemBody | undefined;
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      'x-content-type-options': 'nosniff',
    };
    try {
      const forwarded = req.headers['x-forwarded-for'];
      const ip = peerAddress(
        req.socket.remoteAddress,
        Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
        opts.limit.trustProxy,
      );
      const taken = opts.limit.buckets.take(`ip:${ip}`);
      if (!taken.ok) {
        const refusal = rateLimited(opts.limit.buckets, opts.limit.scope, taken.retryAfterSec);
        headers['retry-after'] = refusal.retryAfter;
        throw new Answered(refusal.body);
      }
      const body = await readBody(req, opts.maxBodyBytes);
      if (body === undefined) {
        // The rest of the body is never read: close the connection so it cannot corrupt the next request.
        headers.connection = 'close';
        throw new Answered(problemBody('payload-too-large', `Limit is ${opts.maxBodyBytes} bytes`));
      }
      await opts.handle({
        contentType: req.headers['content-type'],
        signature: header(req, 'x-twilio-signature'),
        pathAndQuery: url,
        body,
      });
    } catch (err) {
      if (err instanceof Answered) problem = err.body;
      else if (err instanceof ProblemError) problem = problemBody(err.code, err.detail, err.errors);
      else {
        const failure = unexpectedFailure(
          err instanceof Error ? err : new Error(String(err)),
          opts.log,
          requestId,
        );
        if (failure.retryAfter) headers['retry-after'] = failure.retryAfter;
        problem = failure.body;
      }
      status = problem.status;
    }
    if (problem) {
      const json = JSON.stringify(problem);
      headers['content-type'] = 'application/problem+json';
      headers['content-length'] = String(Buffer.byteLength(json));
      res.writeHead(status, headers).end(json);
    } else res.writeHead(status, headers).end();
    countWebhookAnswer(TWILIO_STATUS_PATH, status);
    logAccess(opts.log, {
      requestId,
      method: 'POST',
      route: TWILIO_STATUS_PATH,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  }
}

/** A refusal decided before the handler ran. */
class Answered extends Error {
  constructor(readonly body: ProblemBody) {
    super(body.code);
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The body as UTF-8, or undefined past `max` bytes (declared, or read so far: reading stops there and
 * the answer closes the connection).
 */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).pause();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}
