import { describe, expect, it } from 'vitest';
import { campaignDefinitionSchema, caseUpdateSchema } from '../../../domain/campaign-schema';
import { issuesFromZod } from '../../../domain/definition-error';
import { stageEditSchema } from '../../../domain/stage-schema';

const valid = {
  kind: 'case_alert',
  title: 'Free Kem Sokha',
  params: { caseName: 'Kem Sokha', caseNumber: 'UA 12/23' },
  content: {
    en: {
      sms: 'Hi {{firstName}}, act for {{caseName}}: {{actionUrl}}',
      subject: 'Act now',
      body: 'Write to {{targets}}',
    },
  },
  action: {
    url: 'https://act.example.org/kem-sokha',
    targets: [{ name: 'Hun Manet', title: 'Prime Minister' }],
  },
};

function issuesOf(input: unknown) {
  const result = campaignDefinitionSchema.safeParse(input);
  return result.success ? [] : issuesFromZod(result.error);
}

const paths = (input: unknown) => issuesOf(input).map((i) => i.path);

describe('campaign definition schema', () => {
  it('accepts the API.md example', () => {
    expect(issuesOf(valid)).toEqual([]);
  });

  it('names the path of an unknown placeholder in a stage', () => {
    const issues = issuesOf({
      ...valid,
      stages: [
        { key: 'follow-up', at: { after: 'P2D' } },
        { key: 'extra', at: { after: 'P4D' }, content: { km: { sms: 'សូមជួយ {{fullName}}' } } },
      ],
    });
    expect(issues).toEqual([
      { path: 'stages.1.content.km.sms', message: expect.stringContaining('{{fullName}}') },
    ]);
  });

  it('rejects an unclosed placeholder', () => {
    expect(paths({ ...valid, content: { en: { sms: 'Act {{actionUrl' } } })).toEqual(['content.en.sms']);
  });

  it('accepts placeholders with inner spaces', () => {
    expect(issuesOf({ ...valid, content: { en: { sms: 'Hi {{ firstName }}' } } })).toEqual([]);
  });

  it('reports each unknown field by its own path', () => {
    expect(paths({ ...valid, colour: 'red', action: { ...valid.action, method: 'POST' } }).sort()).toEqual([
      'action.method',
      'colour',
    ]);
  });

  it('reports an unknown parameter but accepts any extra …Date parameter as an anchor', () => {
    expect(paths({ ...valid, params: { ...valid.params, speed: 3 } })).toEqual(['params.speed']);
    expect(paths({ ...valid, params: { ...valid.params, hearingDate: 'tomorrow' } })).toEqual([
      'params.hearingDate',
    ]);
    expect(
      paths({ ...valid, params: { ...valid.params, hearingDate: '2027-05-01T09:00:00+07:00' } }),
    ).toEqual([]);
  });

  it('requires at least one locale and at least one message part', () => {
    expect(paths({ ...valid, content: {} })).toEqual(['content']);
    expect(paths({ ...valid, content: { en: {} } })).toEqual(['content.en']);
    expect(paths({ ...valid, content: { fr: { sms: 'x' } } })).toContain('content.fr');
  });

  it('checks weeks, thresholds, durations and dates', () => {
    const params = {
      ...valid.params,
      weeks: 53,
      actionRateThreshold: 1.5,
      followUpAfter: 'P1M',
      electionDate: '2027-05-01',
    };
    expect(paths({ ...valid, params }).sort()).toEqual([
      'params.actionRateThreshold',
      'params.electionDate',
      'params.followUpAfter',
      'params.weeks',
    ]);
    expect(paths({ ...valid, params: { ...valid.params, weeks: 2.5 } })).toEqual(['params.weeks']);
  });

  it('requires stages for custom, an election date for election_boycott and an action for case_alert', () => {
    expect(paths({ kind: 'custom', title: 'x', content: valid.content })).toEqual(['stages']);
    expect(paths({ kind: 'election_boycott', title: 'x', content: valid.content })).toEqual([
      'params.electionDate',
    ]);
    const { action: _, ...noAction } = valid;
    expect(paths(noAction)).toEqual(['action']);
  });

  it('validates the three timing forms and names a bad one', () => {
    const stage = (at: unknown) => ({ ...valid, stages: [{ key: 'x', at }] });
    expect(paths(stage({ after: 'P3D' }))).toEqual([]);
    expect(paths(stage({ at: '2027-05-01T09:00:00Z' }))).toEqual([]);
    expect(
      paths({
        ...stage({ before: 'P7D', anchor: 'electionDate' }),
        params: { ...valid.params, electionDate: '2027-05-01T00:00:00Z' },
      }),
    ).toEqual([]);
    expect(paths(stage({ after: '3 days' }))).toEqual(['stages.0.at.after']);
    expect(paths(stage({ at: '2027-05-01T09:00:00' }))).toEqual(['stages.0.at.at']);
    expect(paths(stage({ before: 'P7D' }))).toEqual(['stages.0.at']);
    expect(paths(stage({ before: 'P7D', anchor: 'electionDate' }))).toEqual(['stages.0.at.anchor']);
  });

  it('rejects duplicate, malformed and reserved stage keys', () => {
    const stages = [
      { key: 'a', at: { after: 'P1D' } },
      { key: 'a', at: { after: 'P2D' } },
      { key: 'Not A Slug', at: { after: 'P2D' } },
      { key: 'update-1', at: { after: 'P2D' } },
    ];
    expect(new Set(paths({ ...valid, stages }))).toEqual(
      new Set(['stages.1.key', 'stages.2.key', 'stages.3.key']),
    );
  });

  it('checks escalation rules and audience selects', () => {
    const stages = [
      {
        key: 'x',
        at: { after: 'P1D' },
        audience: { select: 'everyone' },
        // JSON, as a request carries it (a literal `then` key trips Biome's thenable lint).
        escalation: JSON.parse('{ "ifActionRateBelow": 2, "then": "panic" }'),
      },
    ];
    expect(new Set(paths({ ...valid, stages }))).toEqual(
      new Set([
        'stages.0.audience.select',
        'stages.0.escalation.ifActionRateBelow',
        'stages.0.escalation.then',
      ]),
    );
  });
});

describe('case update and stage edit bodies', () => {
  it('accepts a closure and rejects an unknown resolution', () => {
    expect(
      caseUpdateSchema.safeParse({ content: valid.content, audience: 'recipients', resolution: 'released' })
        .success,
    ).toBe(true);
    const bad = caseUpdateSchema.safeParse({
      content: valid.content,
      audience: 'everyone',
      resolution: 'pardoned',
    });
    expect(
      bad.success
        ? []
        : issuesFromZod(bad.error)
            .map((i) => i.path)
            .sort(),
    ).toEqual(['audience', 'resolution']);
  });

  it('requires at or content in a stage edit', () => {
    expect(stageEditSchema.safeParse({}).success).toBe(false);
    expect(stageEditSchema.safeParse({ at: '2027-05-01T09:00:00Z' }).success).toBe(true);
    const bad = stageEditSchema.safeParse({ content: { en: { sms: '{{nope}}' } } });
    expect(bad.success ? [] : issuesFromZod(bad.error).map((i) => i.path)).toEqual(['content.en.sms']);
  });
});
