import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { issuesFromZod } from '../../domain/definition-error';
import type { RefusalCode } from '../../domain/refusals';
import { PROBLEM_TYPES, problemTypeUri } from './problem-types';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * Our one error type: a refusal kind (`code`), what went wrong (`detail`) and the bad fields.
 * Status and title come from the kind (problem-types.ts); the error handler answers problem+json.
 */
export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: RefusalCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? PROBLEM_TYPES[code].title);
    this.status = PROBLEM_TYPES[code].status;
    this.title = PROBLEM_TYPES[code].title;
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemError('invalid-input', detail, errors);
export const unauthorized = (detail = 'Missing or invalid credentials') =>
  new ProblemError('unauthorized', detail);
export const forbidden = (detail = 'This role may not use this route') =>
  new ProblemError('forbidden', detail);
export const notFound = (detail = 'Not found') => new ProblemError('not-found', detail);
export const unsupportedMediaType = (detail: string) => new ProblemError('unsupported-media-type', detail);
export const payloadTooLarge = (detail: string) => new ProblemError('payload-too-large', detail);

/** Zod issues as dotted field paths; unknown fields are named one by one. */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return issuesFromZod(error, prefix).map((e) => ({ path: e.path || '(root)', message: e.message }));
}

export function invalid(error: ZodError, prefix?: string): ProblemError {
  const errors = fieldErrors(error, prefix);
  return badRequest(`Invalid ${errors.map((e) => e.path).join(', ')}`, errors);
}

/** An RFC 9457 body: `{ type, code, title, status, detail?, errors? }`. */
export interface ProblemBody {
  type: string;
  code: RefusalCode;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** The body of a refusal; `status` only for a refusal whose status is not its kind's (Hono's own errors). */
export function problemBody(
  code: RefusalCode,
  detail?: string,
  errors?: FieldError[],
  status: number = PROBLEM_TYPES[code].status,
): ProblemBody {
  return {
    type: problemTypeUri(code),
    code,
    title: PROBLEM_TYPES[code].title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** Answers a problem body as `application/problem+json` with its status. */
export function problemResponse(c: Context, body: ProblemBody) {
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
  });
}
