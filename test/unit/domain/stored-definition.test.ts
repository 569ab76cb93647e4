import { describe, expect, it } from 'vitest';
import { expandDefinition } from '../../../domain/playbooks';
import { parseStoredDefinition } from '../../../domain/stored-definition';

const launched = {
  kind: 'custom',
  title: 'Stored',
  audience: { tags: { include: ['km-diaspora'], exclude: [] } },
  stages: [
    {
      key: 'alert',
      scheduledAt: '2026-12-01T00:00:00.000Z',
      audience: { select: 'all', tags: { include: [], exclude: [] } },
      channel: 'sms',
      content: { km: { sms: 'សូមជួយ {{actionUrl}}' } },
    },
  ],
};

describe('the stored campaign definition', () => {
  it('parses what launch stores, and keeps fields it does not name for a read-modify-write', () => {
    const def = parseStoredDefinition({ ...launched, dropped: [{ key: 'x', reason: 'past_at_launch' }] });
    expect(def.stages?.[0]?.channel).toBe('sms');
    expect((def as Record<string, unknown>).dropped).toEqual([{ key: 'x', reason: 'past_at_launch' }]);
  });

  it('parses a definition the playbooks expand', () => {
    const expanded = expandDefinition(
      {
        kind: 'case_alert',
        title: 'Free the defender',
        params: { caseName: 'Sok' },
        action: { url: 'https://example.org/act' },
        content: { en: { sms: 'Act {{actionUrl}}' } },
      },
      { now: new Date('2026-11-30T00:00:00Z') },
    );
    expect(parseStoredDefinition(JSON.parse(JSON.stringify(expanded))).stages?.length).toBe(
      expanded.stages.length,
    );
  });

  it('refuses a row that does not fit, naming the path and never the content', () => {
    const broken = { ...launched, stages: [{ ...launched.stages[0], channel: 'fax' }] };
    expect(() => parseStoredDefinition(broken)).toThrow(/stages\.0\.channel/);
    expect(() => parseStoredDefinition(broken)).not.toThrow(/សូមជួយ/);
  });
});
