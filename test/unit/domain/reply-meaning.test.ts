import { describe, expect, it } from 'vitest';
import { normalizeKhmer } from '../../../domain/khmer-normalize';
import {
  classifyReply,
  isCarrierKeyword,
  mentionedKeyword,
  normalizeReply,
} from '../../../domain/reply-keywords';

describe('Khmer typed with other code points', () => {
  it('drops a sign typed twice: ឈប់ with two bantoc is ឈប់', () => {
    expect(normalizeKhmer('\u1788\u1794\u17CB\u17CB')).toBe('ឈប់');
    expect(classifyReply('\u1788\u1794\u17CB\u17CB')).toBe('opt_out');
  });

  it('joins a vowel typed in two parts (េ + ី is ើ, េ + ា is ោ)', () => {
    expect(normalizeKhmer('\u1785\u17B6\u1794\u17CB\u1795\u17D2\u178F\u17C1\u17B8\u1798')).toBe('ចាប់ផ្តើម');
    expect(normalizeKhmer('\u1780\u17C1\u17B6')).toBe('\u1780\u17C4');
  });

  it('puts a subscript consonant before the vowel typed ahead of it, and signs after vowels', () => {
    expect(normalizeKhmer('\u1785\u17B6\u1794\u17CB\u1795\u17BE\u17D2\u178F\u1798')).toBe('ចាប់ផ្តើម');
    expect(classifyReply('\u1785\u17B6\u1794\u17CB\u1795\u17BE\u17D2\u178F\u1798')).toBe('opt_in');
    expect(normalizeKhmer('\u1787\u17C6\u17BB\u1793\u17BD\u1799')).toBe(
      normalizeKhmer('\u1787\u17BB\u17C6\u1793\u17BD\u1799'),
    );
  });

  it('ignores zero-width spaces and coeng DA written for coeng TA', () => {
    expect(classifyReply('\u200Bឈប់\u200B')).toBe('opt_out');
    expect(classifyReply('ចាប់ផ្ដើម')).toBe('opt_in');
  });
});

describe('Latin keywords however they are typed', () => {
  it.each([
    ['Opt out', 'opt_out'],
    ['OPT-OUT', 'opt_out'],
    ['opt_out', 'opt_out'],
    ['Stop all', 'opt_out'],
    ['ＳＴＯＰ', 'opt_out'],
    ['Unsubscribe.', 'opt_out'],
    ['Arrêt', 'opt_out'],
    ['arret', 'opt_out'],
    ['Se désabonner', 'opt_out'],
    ['DÉSINSCRIPTION', 'opt_out'],
    ['Annuler', 'opt_out'],
    ['Aide', 'help'],
    ['Commencer', 'opt_in'],
    ['Start', 'opt_in'],
  ] as const)('%s is %s', (body, intent) => {
    expect(classifyReply(body)).toBe(intent);
  });

  it('folds accents and compatibility forms in the comparable form', () => {
    expect(normalizeReply(' Arrêt! ')).toBe('ARRET');
    expect(normalizeReply('ﬁn')).toBe('FIN');
  });

  it('keeps the bare-keyword rule: a sentence or spelled letters are not keywords', () => {
    expect(classifyReply('We have to STOP the deportations!')).toBe('other');
    expect(classifyReply('S T O P')).toBe('other');
    expect(classifyReply('Yes')).toBe('other');
  });
});

describe('a sentence that mentions a keyword', () => {
  it('names the keyword so the reply is shown as needing a look', () => {
    expect(mentionedKeyword('We have to STOP the deportations!')).toBe('opt_out');
    expect(mentionedKeyword('please opt me out, opt out now')).toBe('opt_out');
    expect(mentionedKeyword('Merci, je veux me désabonner')).toBe('opt_out');
    expect(mentionedKeyword('Thank you for the update')).toBeUndefined();
    expect(mentionedKeyword('STOP')).toBeUndefined();
  });
});

describe("Twilio's own keywords", () => {
  it('are what Twilio matches (trimmed, upper-cased), so "Opt out" is ours to confirm', () => {
    expect(isCarrierKeyword('stop')).toBe(true);
    expect(isCarrierKeyword('OPTOUT')).toBe(true);
    expect(isCarrierKeyword('Opt out')).toBe(false);
    expect(isCarrierKeyword('Arrêt')).toBe(false);
  });
});
