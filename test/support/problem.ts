import { expect } from 'vitest';

/** Where problem types live: `type` is this base followed by the refusal code (API.md, problem-types.ts). */
export const PROBLEM_TYPE_BASE = 'https://campaigns.example.org/problems/';

/**
 * Asserts an RFC 9457 refusal: its status and the stable `code` and `type` of its kind, with a title.
 * `what` names the call in failure messages, which carry the body.
 */
export function expectRefusal(
  res: { status: number; body: unknown },
  status: number,
  code: string,
  what = '',
): void {
  const text = `${what} ${JSON.stringify(res.body)}`;
  expect(res.status, text).toBe(status);
  expect(res.body, text).toMatchObject({
    status,
    code,
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: expect.any(String),
  });
}
