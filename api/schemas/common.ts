import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** A JSON response of an OpenAPI route: its schema and what it means. */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The error answers every authenticated route can give. */
export const errorResponses = {
  400: problem('Invalid input; each bad field is listed in errors'),
  401: problem('Missing or invalid credentials'),
  403: problem('Role not allowed'),
  404: problem('Unknown, or belonging to another organization'),
  429: problem('Rate limited; Retry-After says when to retry'),
} as const;

export const conflictResponse = { 409: problem('Conflict with the current state') } as const;

export const IdParam = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11' }),
});

export const security = [{ bearerAuth: [] }];
