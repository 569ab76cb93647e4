import type { ZodError } from 'zod';
import { issuesFromZod } from '../../domain/definition-error';

export interface FieldError {
  path: string;
  message: string;
}

/** Our one error type; the error handler turns it into an RFC 9457 problem+json body. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemError(400, 'Invalid input', detail, errors);
export const unauthorized = (detail = 'Missing or invalid credentials') =>
  new ProblemError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'This role may not use this route') =>
  new ProblemError(403, 'Forbidden', detail);
export const notFound = (detail = 'Not found') => new ProblemError(404, 'Not found', detail);
export const conflict = (detail: string) => new ProblemError(409, 'Conflict', detail);

/** Zod issues as dotted field paths; unknown fields are named one by one. */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return issuesFromZod(error, prefix).map((e) => ({ path: e.path || '(root)', message: e.message }));
}

export function invalid(error: ZodError, prefix?: string): ProblemError {
  const errors = fieldErrors(error, prefix);
  return badRequest(`Invalid ${errors.map((e) => e.path).join(', ')}`, errors);
}

export function problemBody(status: number, title: string, detail?: string, errors?: FieldError[]) {
  return {
    type: `https://campaigns.example.org/problems/${status}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}
