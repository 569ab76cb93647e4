import { describe, expect, it } from 'vitest';
import { isPostgresClosedSocketWrite } from '../../../db/write-guard';

function errorWith(message: string, stack: string) {
  const err = new TypeError(message);
  err.stack = `TypeError: ${message}\n${stack}`;
  return err;
}

describe('the postgres.js closed-socket guard', () => {
  it("recognises the driver's write to a closed connection", () => {
    const err = errorWith(
      "Cannot read properties of null (reading 'write')",
      '    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:483:21)',
    );
    expect(isPostgresClosedSocketWrite(err)).toBe(true);
  });

  it('lets every other uncaught error through', () => {
    expect(
      isPostgresClosedSocketWrite(new TypeError("Cannot read properties of null (reading 'write')")),
    ).toBe(false);
    expect(
      isPostgresClosedSocketWrite(
        errorWith(
          "Cannot read properties of null (reading 'x')",
          '    at nextWrite (postgres/src/connection.js:1:1)',
        ),
      ),
    ).toBe(false);
    expect(isPostgresClosedSocketWrite(new Error('boom'))).toBe(false);
    expect(isPostgresClosedSocketWrite('a string')).toBe(false);
  });
});
