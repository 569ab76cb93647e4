import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger';
import { sdkLogger } from '../../../workers/sdk-logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'debug', name: 'workers', destination }) };
}

describe('the SDK logger', () => {
  it("writes the SDK's lines in our JSON format, with the same redaction of contact details", () => {
    const { lines, log } = capture();
    sdkLogger(log, 'DEBUG').warn('Activity failed', { activityType: 'deliverPage', to: '+19785550100' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'workers',
      msg: 'Activity failed',
      activityType: 'deliverPage',
      sdk: true,
    });
    expect(lines[0]?.to).toBe('[redacted]');
  });

  it('keeps lines below the minimum out', () => {
    const { lines, log } = capture();
    const sdk = sdkLogger(log, 'WARN');
    sdk.info('Worker state changed');
    sdk.debug('polling');
    sdk.log('ERROR', 'Worker failed');
    expect(lines.map((l) => l.msg)).toEqual(['Worker failed']);
  });
});
