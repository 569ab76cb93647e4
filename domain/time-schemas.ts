import { z } from 'zod';
import { durationProblem } from './duration';

/** An instant with an explicit offset (`Z` or `+07:00`): a local time without a zone is ambiguous. */
export const rfc3339Schema = z.iso.datetime({
  offset: true,
  error: 'must be an RFC 3339 time with an offset, e.g. 2027-05-01T09:00:00Z',
});

/** ISO 8601 duration in weeks, days, hours, minutes, seconds (see duration.ts). */
export const durationSchema = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
