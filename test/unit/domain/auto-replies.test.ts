import { describe, expect, it } from 'vitest';
import {
  AUTO_REPLY_KINDS,
  autoReplyText,
  defaultAutoReply,
  MAX_NAME_FOR_ONE_SEGMENT,
  replyLocale,
} from '../../../domain/auto-replies';
import { LOCALES } from '../../../domain/content-schema';
import { isCarrierKeyword } from '../../../domain/reply-keywords';
import { countSegments } from '../../../domain/sms-segments';

describe('default automatic answers', () => {
  const name = 'N'.repeat(MAX_NAME_FOR_ONE_SEGMENT);
  it.each(AUTO_REPLY_KINDS.flatMap((k) => LOCALES.map((l) => [k, l] as const)))(
    '%s in %s names the organization and fits one segment',
    (kind, locale) => {
      const text = defaultAutoReply(kind, locale, { name, helpContact: null });
      expect(text.startsWith(name)).toBe(true);
      expect(countSegments(text)).toMatchObject({
        segments: 1,
        encoding: locale === 'km' ? 'UCS-2' : 'GSM-7',
      });
    },
  );

  it('gives each language its own keywords, and the help contact when there is one', () => {
    const org = { name: 'UA', helpContact: 'help@ua.example' };
    expect(defaultAutoReply('help', 'km', org)).toMatch(/ឈប់.*ចាប់ផ្តើម.*help@ua\.example/);
    expect(defaultAutoReply('help', 'en', org)).toMatch(/STOP.*START.*DONE.*Help: help@ua\.example/);
  });

  it("uses the organization's own text for its language and the default for the other", () => {
    const org = { name: 'UA', helpText: { km: 'ជំនួយ UA' }, autoReplies: {} };
    expect(autoReplyText('help', 'km', org)).toBe('ជំនួយ UA');
    expect(autoReplyText('help', 'en', org)).toMatch(/^UA: /);
  });
});

describe('reply language and carrier keywords', () => {
  it("answers in the supporter's language, else in the language the reply was written in", () => {
    expect(replyLocale('en', 'ឈប់')).toBe('en');
    expect(replyLocale(undefined, 'ឈប់')).toBe('km');
    expect(replyLocale(undefined, 'stop')).toBe('en');
  });

  it('knows the keywords Twilio confirms itself, whatever the case and punctuation', () => {
    expect(isCarrierKeyword(' stop! ')).toBe(true);
    expect(isCarrierKeyword('Unstop')).toBe(true);
    expect(isCarrierKeyword('ឈប់')).toBe(false);
    expect(isCarrierKeyword('DONE')).toBe(false);
  });
});
