import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { contactKey, normaliseContact, senderDomain } from '../../core/contact-key';
import { suppressionKeys } from '../../core/runtime';

const SECRET = 'a-test-suppression-key-of-32-chars!';

describe('the suppression list key', () => {
  it('depends on the secret, so the list cannot be tested against a guessed number without it', () => {
    const a = contactKey(SECRET, 'sms', '+16175550100');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(contactKey(`${SECRET}x`, 'sms', '+16175550100')).not.toBe(a);
    expect(a).not.toBe(createHash('sha256').update('+16175550100').digest('hex'));
    expect(a).not.toBe(createHash('sha256').update('sms:+16175550100').digest('hex'));
  });

  it('hashes the normalised contact: E.164 without formatting, email trimmed and lower-cased', () => {
    expect(normaliseContact('sms', ' +1 (617) 555-0100 ')).toBe('+16175550100');
    expect(normaliseContact('email', ' Sophea@Example.ORG ')).toBe('sophea@example.org');
    expect(contactKey(SECRET, 'email', 'A@B.org')).toBe(contactKey(SECRET, 'email', 'a@b.org '));
    expect(contactKey(SECRET, 'sms', '+16175550100')).not.toBe(contactKey(SECRET, 'email', '+16175550100'));
  });

  it('scopes SMS by the Twilio sender and email by the sending domain', () => {
    expect(senderDomain('Urgent Action <Alerts@Example.ORG>')).toBe('example.org');
    expect(senderDomain('alerts@mail.example.org')).toBe('mail.example.org');
    const base = { SUPPRESSION_KEY: SECRET, RESEND_FROM: 'UA <ua@lists.example.org>' };
    expect(suppressionKeys(loadConfig({ ...base, TWILIO_FROM_NUMBER: '+15005550006' })).scope).toEqual({
      sms: '+15005550006',
      email: 'lists.example.org',
    });
    const service = loadConfig({
      ...base,
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_MESSAGING_SERVICE_SID: 'MG1',
    });
    expect(suppressionKeys(service).scope.sms, 'a messaging service is the sender when set').toBe('MG1');
  });

  it('refuses a short key and names the variable', () => {
    expect(() => loadConfig({ SUPPRESSION_KEY: 'short' })).toThrow(/SUPPRESSION_KEY/);
    expect(() => suppressionKeys(loadConfig({}))).toThrow(/SUPPRESSION_KEY: required/);
  });
});
