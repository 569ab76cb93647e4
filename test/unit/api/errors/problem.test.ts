import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../../../api/context';
import { createErrorHandler } from '../../../../api/errors/error-handler';
import { type ProblemBody, ProblemError, problemBody } from '../../../../api/errors/problem';
import { PROBLEM_TYPES } from '../../../../api/errors/problem-types';
import { SupporterConflict } from '../../../../db/supporters';
import { REFUSAL_CODES } from '../../../../domain/refusals';
import { PROBLEM_TYPE_BASE } from '../../../support/problem';

/** An app whose one route throws `err`, answered by the API's error handler. */
async function answerTo(err: Error) {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(pino({ level: 'silent' })));
  app.get('/', () => {
    throw err;
  });
  const res = await app.request('/');
  const body = (await res.json()) as ProblemBody;
  return { status: res.status, type: res.headers.get('content-type'), body, res };
}

describe('problem types', () => {
  it('gives every refusal kind its own type URI, ending in its code', () => {
    const types = REFUSAL_CODES.map((code) => problemBody(code).type);
    expect(new Set(types).size).toBe(REFUSAL_CODES.length);
    for (const code of REFUSAL_CODES) expect(problemBody(code).type).toBe(`${PROBLEM_TYPE_BASE}${code}`);
  });

  it("keeps API.md's statuses for the kinds clients already knew", () => {
    const expected = {
      'invalid-input': 400,
      unauthorized: 401,
      forbidden: 403,
      'not-found': 404,
      'unknown-stage': 404,
      'stage-started': 409,
      'campaign-ended': 409,
      'campaign-not-running': 409,
      'supporter-conflict': 409,
      'payload-too-large': 413,
      'unsupported-media-type': 415,
      'rate-limited': 429,
      'internal-error': 500,
    } as const;
    for (const [code, status] of Object.entries(expected))
      expect(PROBLEM_TYPES[code as keyof typeof expected].status, code).toBe(status);
  });

  it('writes code, type, title, status, detail and field errors into the body', () => {
    const body = problemBody('invalid-input', 'Invalid phone', [{ path: 'phone', message: 'not a number' }]);
    expect(body).toEqual({
      type: `${PROBLEM_TYPE_BASE}invalid-input`,
      code: 'invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: 'Invalid phone',
      errors: [{ path: 'phone', message: 'not a number' }],
    });
  });
});

describe('the error handler', () => {
  it('answers a ProblemError with its kind as problem+json', async () => {
    const a = await answerTo(new ProblemError('stage-started', 'stage alert has already started (done)'));
    expect(a.status).toBe(409);
    expect(a.type).toContain('application/problem+json');
    expect(a.body).toMatchObject({ code: 'stage-started', detail: 'stage alert has already started (done)' });
  });

  it('answers a supporter conflict from the database layer with 409 supporter-conflict', async () => {
    const a = await answerTo(new SupporterConflict());
    expect([a.status, a.body.code]).toEqual([409, 'supporter-conflict']);
  });

  it("answers Hono's own errors by status, keeping a status it has no kind for", async () => {
    const large = await answerTo(new HTTPException(413, { message: 'too big' }));
    expect([large.status, large.body.code]).toEqual([413, 'payload-too-large']);
    const teapot = await answerTo(new HTTPException(418, { message: 'teapot' }));
    expect([teapot.status, teapot.body.code, teapot.body.status]).toEqual([418, 'request-error', 418]);
  });

  it('answers a dependency that is restarting with 503 and Retry-After, anything else with 500', async () => {
    const down = await answerTo(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect([down.status, down.body.code]).toEqual([503, 'dependency-unavailable']);
    expect(down.res.headers.get('retry-after')).toBe('5');
    const bug = await answerTo(new TypeError('secret internals'));
    expect([bug.status, bug.body.code]).toEqual([500, 'internal-error']);
    expect(JSON.stringify(bug.body)).not.toContain('secret internals');
  });
});
