import { describe, expect, it } from 'vitest';
import { appealByInstant, caseRef, fiOfStageKey } from '../../../domain/case-sheet';
import { campaignTargets, withTargetKeys } from '../../../domain/case-targets';
import { letterDraft, letterRequestSchema, signature, withoutContacts } from '../../../domain/letter';
import { tryExpandDefinition } from '../../../domain/playbooks';
import { renderSms } from '../../../domain/template';

const NOW = new Date('2026-12-01T12:00:00Z');
const base = {
  kind: 'case_alert',
  title: 'Free Kem Sokha',
  content: { en: { sms: '{{caseRef}} act {{actionUrl}}' } },
  action: {
    targets: [
      { name: 'Minister of Justice', salutation: 'Dear Minister', email: 'm@justice.example.org' },
      { name: 'Ambassador', title: 'Ambassador of Cambodia', language: 'km' as const },
    ],
  },
  case: {
    uaNumber: 'UA 12/23',
    persons: [{ name: 'Kem Sokha' }],
    recommendedActions: { en: ['Release him', 'Drop the charges'], km: ['ដោះលែងគាត់'] },
    appealBy: '2027-01-15',
  },
};
const issues = (def: unknown) => {
  const r = tryExpandDefinition(def, { now: NOW });
  return r.ok ? [] : r.issues;
};

describe('case sheet on case_alert', () => {
  it('expands with keyed targets, caseName from the persons and the appeal-by kept', () => {
    const r = tryExpandDefinition(base, { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.campaign.action?.targets?.map((t) => t.key)).toEqual(['t1', 't2']);
    expect(r.campaign.params.caseName).toBe('Kem Sokha');
    expect(r.campaign.params.caseNumber).toBe('UA 12/23');
    expect(r.campaign.case?.appealBy).toBe('2027-01-15');
  });

  it('names the field: no UA number, an appeal-by date in the past, a duplicate target key', () => {
    const { uaNumber: _, ...noNumber } = base.case;
    expect(issues({ ...base, case: noNumber }).map((i) => i.path)).toEqual(['case.uaNumber']);
    expect(issues({ ...base, case: { ...base.case, appealBy: '2026-11-30' } })).toEqual([
      { path: 'case.appealBy', message: 'is in the past: give a later date' },
    ]);
    const dup = {
      ...base,
      action: {
        targets: [
          { key: 'a', name: 'X' },
          { key: 'a', name: 'Y' },
        ],
      },
    };
    expect(issues(dup).map((i) => i.path)).toEqual(['action.targets.1.key']);
    expect(issues({ ...base, kind: 'custom', stages: [{ key: 'a' }] }).map((i) => i.path)).toContain('case');
  });

  it('numbers Further Information: caseRef renders UA 12/23 FI 2 in update-2', () => {
    expect(fiOfStageKey('update-2')).toBe(2);
    expect(fiOfStageKey('closure-3')).toBe(3);
    expect(fiOfStageKey('follow-up')).toBeUndefined();
    expect(renderSms('{{caseRef}}: news', { caseRef: caseRef('UA 12/23', fiOfStageKey('update-2')) })).toBe(
      'UA 12/23 FI 2: news',
    );
    expect(caseRef('UA 12/23')).toBe('UA 12/23');
  });

  it('reads an appeal-by date as the end of that day (UTC)', () => {
    expect(appealByInstant('2027-01-15')).toBe('2027-01-15T23:59:59.999Z');
    expect(appealByInstant('2027-01-15T09:00:00+07:00')).toBe('2027-01-15T02:00:00.000Z');
  });

  it('keys given keys first and numbers the rest around them, stage-only targets after', () => {
    expect(withTargetKeys([{ name: 'A' }, { key: 't1', name: 'B' }]).map((t) => t.key)).toEqual(['t3', 't1']);
    const all = campaignTargets({
      action: { targets: [{ name: 'A' }] },
      stages: [{ action: { targets: [{ name: 'A' }, { name: 'Senator' }] } }],
    });
    expect(all.map((t) => `${t.key}:${t.name}`)).toEqual(['t1:A', 't2:Senator']);
  });
});

describe('letters', () => {
  const [minister, ambassador] = withTargetKeys(base.action.targets);
  it('drafts from salutation, recommended actions and closing in the target language', () => {
    const en = letterDraft(base.case, minister!);
    expect(en.split('\n\n')[0]).toBe('Dear Minister,');
    expect(en).toContain('Kem Sokha (UA 12/23)');
    expect(en).toContain('- Release him\n- Drop the charges');
    expect(en.endsWith('Yours sincerely,')).toBe(true);
    const km = letterDraft(base.case, ambassador!);
    expect(km.startsWith('ជូនចំពោះ Ambassador of Cambodia,')).toBe(true);
    expect(km).toContain('- ដោះលែងគាត់');
    expect(km).not.toContain('Release him');
  });

  it('signs as chosen and never with more', () => {
    expect(signature('full', { name: 'Sophea Chan', city: 'Lowell' }, 'en')).toBe('Sophea Chan');
    expect(signature('first_name_city', { name: 'Sophea Chan', city: 'Lowell' }, 'en')).toBe(
      'Sophea, Lowell',
    );
    expect(signature('network', { name: 'Sophea Chan' }, 'en')).toBe('A supporter of the network');
    expect(signature('full', { name: null }, 'km')).toBe('អ្នកគាំទ្រម្នាក់នៃបណ្តាញ');
  });

  it('takes the supporter’s own phone and email out of the letter, however typed', () => {
    const text = 'Call me at (978) 555-0142 or +1 978 555 0142, or write to Sophea@Example.org. Ref 2023.';
    const out = withoutContacts(text, { phone: '+19785550142', email: 'sophea@example.org' });
    expect(out).toBe('Call me at […] or […], or write to […]. Ref 2023.');
  });

  it('validates the request with errors naming the field', () => {
    const paths = (v: unknown) => {
      const r = letterRequestSchema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ targets: ['t1'], body: 'x'.repeat(5001), identity: 'full' })).toEqual(['body']);
    expect(paths({ targets: ['t1'], body: ' ', identity: 'full' })).toEqual(['body']);
    expect(paths({ targets: [], body: 'Hi', identity: 'full' })).toEqual(['targets']);
    expect(paths({ targets: ['t1'], body: 'Hi', identity: 'someone' })).toEqual(['identity']);
    expect(paths({ targets: ['t1'], body: 'Hi', identity: 'first_name_city' })).toEqual(['city']);
    expect(paths({ targets: ['t1'], body: 'Hi', identity: 'network' })).toEqual([]);
  });
});
