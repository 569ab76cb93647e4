import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  classifyResendError,
  classifyTwilioError,
  DEFAULT_RETRY_AFTER_MS,
  ProviderError,
  parseRetryAfter,
} from '../../../channels/provider-errors';
import { scrubContactDetails } from '../../../channels/scrub';
import { TwilioRateLimitError } from '../../../channels/twilio-client';

function restException(statusCode: number, body: unknown) {
  return new twilio.RestException({ statusCode, body: JSON.stringify(body) });
}

describe('scrubContactDetails', () => {
  it('masks phone numbers in the forms providers and people write them', () => {
    for (const phone of [
      '+15551234567',
      '+1 978 555 0100',
      '(978) 555-0100',
      '+855 12 345 678',
      '012345678',
    ]) {
      const out = scrubContactDetails(`The 'To' number ${phone} is not valid`);
      expect(out, phone).toBe("The 'To' number [phone] is not valid");
    }
  });

  it('masks email addresses, display-name form included', () => {
    expect(scrubContactDetails('Invalid `to`: Sophea <s.k+ua@example.org>')).toBe(
      'Invalid `to`: Sophea <[email]>',
    );
  });

  it('keeps short codes such as error numbers and HTTP statuses', () => {
    expect(scrubContactDetails('HTTP 400 error 21211, see https://www.twilio.com/docs/errors/21211')).toBe(
      'HTTP 400 error 21211, see https://www.twilio.com/docs/errors/21211',
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('classifyTwilioError', () => {
  it('makes 21211 permanent and about the recipient, without the number in the message', () => {
    const err = classifyTwilioError(
      restException(400, {
        code: 21211,
        message: "The 'To' number +15551234567 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      }),
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      name: 'ProviderError',
      kind: 'permanent',
      status: 400,
      code: 21211,
      recipientFault: true,
    });
    expect(err.message).not.toMatch(/5551234567/);
  });

  it.each([21610, 21614, 21612])('makes %i permanent and about the recipient', (code) => {
    expect(classifyTwilioError(restException(400, { code, message: 'x', status: 400 }))).toMatchObject({
      kind: 'permanent',
      recipientFault: true,
    });
  });

  it('makes 21408 (region not enabled) permanent but not the recipient’s fault', () => {
    expect(classifyTwilioError(restException(400, { code: 21408, message: 'x', status: 400 }))).toMatchObject(
      {
        kind: 'permanent',
        recipientFault: false,
      },
    );
  });

  it('makes 5xx transient, also when the body is not JSON', () => {
    expect(classifyTwilioError(restException(503, { code: 20503, message: 'x', status: 503 }))).toMatchObject(
      {
        kind: 'transient',
        status: 503,
      },
    );
    expect(classifyTwilioError(new twilio.RestException({ statusCode: 502, body: '<html>' }))).toMatchObject({
      kind: 'transient',
      status: 502,
    });
  });

  it('carries the Retry-After our http client attached, or the default', () => {
    const withHeader = new TwilioRateLimitError(
      { statusCode: 429, body: { code: 20429, message: 'Too Many Requests' } },
      4000,
    );
    expect(classifyTwilioError(withHeader)).toMatchObject({
      kind: 'rate_limited',
      code: 20429,
      retryAfterMs: 4000,
    });
    const plain = restException(429, { code: 20429, message: 'Too Many Requests', status: 429 });
    expect(classifyTwilioError(plain)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: DEFAULT_RETRY_AFTER_MS,
    });
  });

  it('makes network errors and unknown failures transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyTwilioError(refused)).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
    expect(classifyTwilioError(new Error('something odd for +15551234567'))).toMatchObject({
      kind: 'transient',
    });
    expect(classifyTwilioError(new Error('something odd for +15551234567')).message).not.toContain(
      '5551234567',
    );
  });

  it('passes a ProviderError through unchanged', () => {
    const err = new ProviderError({ kind: 'permanent', message: 'already classified' });
    expect(classifyTwilioError(err)).toBe(err);
  });
});

describe('classifyResendError', () => {
  it('makes 429 rate_limited with the Retry-After header from the SDK result', () => {
    const err = classifyResendError(
      { name: 'rate_limit_exceeded', message: 'Too many requests', statusCode: 429 },
      429,
      {
        'retry-after': '3',
      },
    );
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 3000 });
    expect(
      classifyResendError({ name: 'daily_quota_exceeded', message: 'x', statusCode: 429 }),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: DEFAULT_RETRY_AFTER_MS,
    });
  });

  it('makes a missing answer (network error, timeout) and 5xx transient', () => {
    expect(
      classifyResendError({ name: 'application_error', message: 'Unable to fetch data.', statusCode: null }),
    ).toMatchObject({
      kind: 'transient',
    });
    expect(
      classifyResendError({ name: 'internal_server_error', message: 'x', statusCode: 500 }),
    ).toMatchObject({
      kind: 'transient',
      status: 500,
    });
    expect(
      classifyResendError({ name: 'concurrent_idempotent_requests', message: 'x', statusCode: 409 }),
    ).toMatchObject({
      kind: 'transient',
    });
  });

  it('makes 422 validation permanent, about the recipient when it names `to`, and scrubs the address', () => {
    const err = classifyResendError({
      name: 'validation_error',
      message: 'Invalid `to` field: sophea@example.org',
      statusCode: 422,
    });
    expect(err).toMatchObject({
      kind: 'permanent',
      status: 422,
      code: 'validation_error',
      recipientFault: true,
    });
    expect(err.message).not.toContain('sophea');
    expect(
      classifyResendError({ name: 'invalid_from_address', message: 'x', statusCode: 422 }),
    ).toMatchObject({
      kind: 'permanent',
      recipientFault: false,
    });
  });
});
