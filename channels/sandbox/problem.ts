import type { Context } from 'hono';
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem+json, the error body of the sandbox's own routes. */
export function problem(c: Context, status: number, title: string, detail?: string, errors?: FieldError[]) {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail, errors }), status as 400, {
    'content-type': 'application/problem+json',
  });
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Reads a JSON body; undefined when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}
