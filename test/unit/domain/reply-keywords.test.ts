import { describe, expect, it } from 'vitest';
import { classifyReply, createReplyClassifier, isCarrierKeyword } from '../../../domain/reply-keywords';

describe('classifyReply', () => {
  it.each([
    ['STOP', 'opt_out'],
    ['stop', 'opt_out'],
    ['  Stop!  ', 'opt_out'],
    ['"unsubscribe."', 'opt_out'],
    ['StopAll', 'opt_out'],
    ['cancel', 'opt_out'],
    ['END', 'opt_out'],
    ['quit', 'opt_out'],
    ['revoke', 'opt_out'],
    ['optout', 'opt_out'],
    ['START', 'opt_in'],
    ['unstop', 'opt_in'],
    ['help?', 'help'],
    ['Info', 'help'],
    ['done', 'done'],
    ['Done 👍', 'done'],
  ])('classifies %j as %s', (body, intent) => {
    expect(classifyReply(body)).toBe(intent);
  });

  it.each(['we must STOP this bill', 'stop it', 'not done yet', 'S T O P', 'stopp', '', '   ', '!!!'])(
    'treats %j as other: only a bare keyword counts',
    (body) => {
      expect(classifyReply(body)).toBe('other');
    },
  );

  it.each([
    ['ឈប់', 'opt_out'],
    [' ឈប់។ ', 'opt_out'],
    ['ចាប់ផ្តើម', 'opt_in'],
    ['ចាប់ផ្ដើម', 'opt_in'],
    ['ចាប់\u200Bផ្តើម', 'opt_in'],
    ['ជំនួយ', 'help'],
    ['រួចរាល់!', 'done'],
    ['ខ្ញុំចង់ឈប់', 'other'],
  ])('classifies Khmer %j as %s', (body, intent) => {
    expect(classifyReply(body)).toBe(intent);
  });

  it.each([
    ['Arrêt', 'opt_out'],
    ['ARRET', 'opt_out'],
    ['aide', 'help'],
  ])('classifies French %j as %s (not a carrier keyword: we confirm it)', (body, intent) => {
    expect(classifyReply(body)).toBe(intent);
    expect(isCarrierKeyword(body)).toBe(false);
  });

  it('normalises Unicode: a decomposed accent matches its composed keyword', () => {
    const classify = createReplyClassifier({ done: ['FAIT\u00C9'] });
    expect(classify('faite\u0301')).toBe('done');
  });

  it('lets an organization replace the Khmer and DONE lists but never drops the carrier words', () => {
    const classify = createReplyClassifier({ optOut: ['BASTA'], done: ['SIGNED'] });
    expect(classify('basta')).toBe('opt_out');
    expect(classify('STOP')).toBe('opt_out');
    expect(classify('ឈប់')).toBe('other');
    expect(classify('signed')).toBe('done');
    expect(classify('done')).toBe('other');
    expect(classifyReply('signed', { done: ['SIGNED'] })).toBe('done');
  });

  it('lets stopping win when a word is in two lists', () => {
    expect(createReplyClassifier({ done: ['END'] })('end')).toBe('opt_out');
  });
});
