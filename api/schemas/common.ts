import { z } from '@hono/zod-openapi';
import { REFUSAL_CODES, type RefusalCode } from '../../domain/refusals';
import { PROBLEM_TYPES, problemTypeUri } from '../errors/problem-types';

const codeList = REFUSAL_CODES.map(
  (code) =>
    `- \`${code}\` (${PROBLEM_TYPES[code].status}, ${problemTypeUri(code)}): ${PROBLEM_TYPES[code].meaning}`,
).join('\n');

/** The refusal kinds, one per problem type; clients switch on these, not on titles or details. */
export const ProblemCodeSchema = z.enum(REFUSAL_CODES).openapi('ProblemCode', {
  description: `Stable code of the refusal; \`type\` is the same code under ${problemTypeUri('invalid-input').replace('invalid-input', '')}.\n\n${codeList}`,
});

/** RFC 9457 problem details, with the refusal's stable `code`. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemTypeUri('stage-started') }),
    code: ProblemCodeSchema,
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** A JSON response of an OpenAPI route: its schema (zod, or a plain JSON Schema) and what it means. */
export function json<S extends z.ZodType>(
  schema: S,
  description: string,
): { description: string; content: { 'application/json': { schema: S } } };
export function json(
  schema: object,
  description: string,
): { description: string; content: { 'application/json': { schema: object } } };
export function json(schema: object, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A problem+json response that can carry the given refusal codes (listed in the description too). */
export const problem = (description: string, codes: readonly [RefusalCode, ...RefusalCode[]]) => ({
  description: `${description} (${codes.map((c) => `\`${c}\``).join(', ')})`,
  content: {
    'application/problem+json': {
      schema: ProblemSchema.extend({ code: z.enum(codes) }),
    },
  },
});

/** The error answers every authenticated route can give. */
export const errorResponses = {
  400: problem('Invalid input; each bad field is listed in errors', ['invalid-input']),
  401: problem('Missing or invalid credentials', ['unauthorized']),
  403: problem('Role not allowed', ['forbidden']),
  404: problem('Unknown, or belonging to another organization', ['not-found']),
  429: problem('Rate limited; Retry-After says when to retry', ['rate-limited']),
} as const;

/** A 409 answer with the refusals this route can give. */
export const conflictResponse = (codes: readonly [RefusalCode, ...RefusalCode[]]) =>
  ({ 409: problem('Conflict with the current state', codes) }) as const;

export const IdParam = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11' }),
});

export const security = [{ bearerAuth: [] }];
