import { describe, expect, it } from 'vitest';
import { countSegments } from '../../../domain/sms-segments';
import { firstNameOf, renderSms } from '../../../domain/template';

describe('an SMS rendered the same way for preview and send', () => {
  it('makes every line ending \\n, in the template and in the values', () => {
    expect(renderSms('a\r\nb\rc\n{{caseName}}', { caseName: 'x\r\ny' })).toBe('a\nb\nc\nx\ny');
  });

  it('greets by the first word of the name, whatever the spaces', () => {
    expect(firstNameOf('  Sophea   Chan ')).toBe('Sophea');
    expect(firstNameOf('សុខា\u00A0ចាន់')).toBe('សុខា');
    expect(firstNameOf(null)).toBe('');
  });

  it('a Khmer first name turns a one-segment GSM-7 text into two UCS-2 segments', () => {
    const text = 'Hi {{firstName}}, urgent: the court hears the case tomorrow, please call the ministry now';
    expect(countSegments(renderSms(text, { firstName: 'Dara' })).segments).toBe(1);
    expect(countSegments(renderSms(text, { firstName: 'សុខា' }))).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
    });
  });
});
