import { describe, expect, it } from 'vitest';
import { contentSchema, PLACEHOLDER_PATTERN } from '../../../domain/content-schema';
import { expandDefinition } from '../../../domain/playbooks';
import { countSegments } from '../../../domain/sms-segments';
import {
  caseUpdateTemplateId,
  STAGE_TEMPLATES,
  stageTemplateContent,
  templateIdFor,
} from '../../../domain/stage-templates';
import { fillLaunchFields } from '../../../domain/stage-templates/launch-fields';
import { templateOverrideSchema } from '../../../domain/stage-templates/override-schema';
import { renderSms } from '../../../domain/template';

const now = new Date('2027-03-01T12:00:00Z');
const action = { url: 'https://act.example.org/ua', targets: [{ name: 'Minister of Justice' }] };
const caseAlert = {
  kind: 'case_alert',
  title: 'Free Kem Sokha',
  case: { uaNumber: 'UA 12/23', persons: [{ name: 'Kem Sokha' }], appealBy: '2027-04-15' },
  action,
};
// Realistic lengths: a 16-character link token on a short origin, a long two-part name.
const sample = {
  firstName: 'Sophea',
  actionUrl: 'https://ua.example.org/a/xxxxxxxxxxxxxxxx',
  caseName: 'Kem Sokha Chhun',
  caseRef: 'UA 12/23 FI 2',
  uaNumber: 'UA 12/23',
  targets: 'Minister of Justice',
};

describe('prewritten stage templates', () => {
  it('give each case_alert stage its own text in both languages, naming the case, versioned', () => {
    const { stages } = expandDefinition(caseAlert, { now });
    expect(stages.map((s) => s.key)).toEqual(['alert', 'follow-up', 'escalation']);
    const sms = stages.map((s) => s.content.en?.sms);
    expect(new Set(sms).size).toBe(3);
    expect(new Set(stages.map((s) => s.content.km?.sms)).size).toBe(3);
    for (const s of stages) {
      expect(s.template).toEqual({ id: `case_alert/${s.key}`, version: 1, origin: 'repository' });
      expect(s.content.en?.sms).toContain('{{caseName}}');
      expect(s.content.km?.sms).toMatch(/[\u1780-\u17FF]/);
      expect(contentSchema.safeParse(s.content).success).toBe(true);
    }
    // The appeal-by date is filled at launch, in each language's own words and digits.
    expect(stages[0]!.content.en?.body).toContain('15 April 2027');
    expect(stages[0]!.content.km?.body).toContain('១៥');
  });

  it('keep the stage’s own content, then the campaign’s, before the template', () => {
    const own = { en: { sms: 'Our own follow-up {{actionUrl}}' } };
    const { stages } = expandDefinition(
      { ...caseAlert, stages: [{ key: 'follow-up', content: own }] },
      { now },
    );
    expect(stages[1]!.content.en?.sms).toBe(own.en.sms);
    expect(stages[1]!.template).toBeUndefined();
    expect(stages[0]!.template?.id).toBe('case_alert/alert');
    const campaignWide = { en: { sms: 'One text {{actionUrl}}' } };
    const all = expandDefinition({ ...caseAlert, content: campaignWide }, { now }).stages;
    expect(all.every((s) => s.content.en?.sms === campaignWide.en.sms && !s.template)).toBe(true);
  });

  it('cover every election-boycott and sanctions stage, filling dates, days, weeks and leaving out a missing action', () => {
    const election = expandDefinition(
      { kind: 'election_boycott', title: 'Boycott', params: { electionDate: '2027-07-23T00:00:00Z' } },
      { now },
    ).stages;
    expect(election.map((s) => s.template?.id)).toEqual([
      'election_boycott/t-30d',
      'election_boycott/t-14d',
      'election_boycott/t-7d',
      'election_boycott/t-1d',
      'election_boycott/polling-day',
      'election_boycott/report',
    ]);
    expect(election[0]!.content.en?.sms).toContain('30 days (23 July 2027)');
    expect(election[0]!.content.km?.sms).toContain('៣០');
    // No action: no link line, and the sentence ends with a full stop.
    expect(election[0]!.content.en?.sms).not.toContain('{{actionUrl}}');
    expect(election[0]!.content.en?.sms).toMatch(/\.$/);
    const sanctions = expandDefinition(
      { kind: 'sanctions_lobbying', title: 'Magnitsky now', params: { weeks: 3 }, action },
      { now },
    ).stages;
    expect(sanctions.map((s) => s.template?.id)).toEqual([
      'sanctions_lobbying/week-1',
      'sanctions_lobbying/week',
      'sanctions_lobbying/week',
      'sanctions_lobbying/escalation',
    ]);
    expect(sanctions[2]!.content.en?.sms).toContain('week 3 of 3');
    expect(sanctions[2]!.content.km?.sms).toContain('សប្ដាហ៍ទី ៣ នៃ ៣');
  });

  it('keep SMS within sensible segment counts: English at most 2, Khmer (UCS-2, 67 a segment) at most 3', () => {
    const values = {
      title: 'Boycott 2027',
      electionDate: '2027-07-23T00:00:00Z',
      daysLeft: 30,
      week: 12,
      weeks: 12,
    };
    for (const t of STAGE_TEMPLATES.values()) {
      for (const locale of ['en', 'km'] as const) {
        const filled = fillLaunchFields(t.content[locale].sms, locale, values, { hasAction: true });
        const { encoding, segments } = countSegments(renderSms(filled, sample));
        expect(encoding, `${t.id} ${locale}`).toBe(locale === 'en' ? 'GSM-7' : 'UCS-2');
        expect(segments, `${t.id} ${locale}`).toBeLessThanOrEqual(locale === 'en' ? 2 : 3);
      }
    }
  });

  it('use only placeholders the senders know once the launch fields are filled', () => {
    for (const t of STAGE_TEMPLATES.values()) {
      const [kind, key] = t.id.split('/') as [string, string];
      const def = { kind, title: 'T', params: { electionDate: '2027-07-23T00:00:00Z' }, action } as never;
      const filled = stageTemplateContent(def, { key }, {}, t.id)!;
      expect(contentSchema.safeParse(filled.content).error?.issues ?? [], t.id).toEqual([]);
      for (const m of JSON.stringify(filled.content).matchAll(PLACEHOLDER_PATTERN))
        expect(['title', 'electionDate', 'daysLeft', 'week', 'weeks', 'appealBy']).not.toContain(m[1]);
    }
  });

  it('name the template of each stage key and case update', () => {
    expect(templateIdFor('election_boycott', 't-3d')).toBe('election_boycott/countdown');
    expect(templateIdFor('sanctions_lobbying', 'week-7')).toBe('sanctions_lobbying/week');
    expect(templateIdFor('custom', 'alert')).toBeUndefined();
    expect(caseUpdateTemplateId()).toBe('case_alert/further-information');
    for (const r of ['released', 'acquitted', 'dropped', 'closed'] as const)
      expect(STAGE_TEMPLATES.has(caseUpdateTemplateId(r))).toBe(true);
  });

  it('take an organization’s wording over the repository’s, part by part, with its revision', () => {
    const overrides = {
      'case_alert/follow-up': {
        content: { en: { sms: 'Our reminder for {{caseName}} {{actionUrl}}' } },
        revision: 4,
      },
    };
    const { stages } = expandDefinition(caseAlert, { now, templates: overrides });
    expect(stages[1]!.content.en?.sms).toBe('Our reminder for {{caseName}} {{actionUrl}}');
    expect(stages[1]!.content.km?.sms).toContain('រំលឹក');
    expect(stages[1]!.template).toEqual({ id: 'case_alert/follow-up', version: 4, origin: 'organization' });
    expect(stages[0]!.template?.origin).toBe('repository');
  });

  it('validate an organization’s wording: launch fields allowed, unknown placeholders named', () => {
    expect(
      templateOverrideSchema.safeParse({ content: { en: { sms: '{{title}} {{daysLeft}}' } } }).success,
    ).toBe(true);
    const bad = templateOverrideSchema.safeParse({ content: { km: { sms: 'សូម {{password}}' } } });
    expect(bad.error?.issues[0]?.path).toEqual(['content', 'km', 'sms']);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown placeholder \{\{password\}\}/);
  });
});
