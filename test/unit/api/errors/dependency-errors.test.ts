import { describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from '../../../../api/errors/dependency-errors';

describe('dependency outage detection', () => {
  it('treats lost PostgreSQL connections and an unavailable Temporal as outages', () => {
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      ),
    ).toBe(true);
    expect(
      isDependencyUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('unavailable'), { code: 14 }))).toBe(true);
  });

  it('treats a query written to a socket PostgreSQL closed as an outage', () => {
    // What Node's net.Socket gives a write after the peer's FIN (seen in the chaos postgres-restart run).
    const err = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  it('leaves programming and data errors as internal errors', () => {
    expect(isDependencyUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDependencyUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
  });
});
