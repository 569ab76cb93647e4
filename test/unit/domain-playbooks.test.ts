import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../domain/definition-error';
import { expandDefinition, tryExpandDefinition } from '../../domain/playbooks';

const now = new Date('2027-03-01T12:00:00Z');
const content = {
  en: { sms: 'Act for {{caseName}}: {{actionUrl}}', subject: 'Urgent Action', body: 'Write to {{targets}}' },
  km: { sms: 'សូមចូលរួម {{caseName}} {{actionUrl}}' },
};
const action = {
  url: 'https://act.example.org/ua',
  targets: [{ name: 'Hun Manet', title: 'Prime Minister' }],
};
const caseAlert = {
  kind: 'case_alert',
  title: 'Free Kem Sokha',
  params: { caseName: 'Kem Sokha' },
  content,
  action,
};

const plan = (input: unknown) => expandDefinition(input, { now }).stages.map((s) => [s.key, s.scheduledAt]);
const issuesOf = (input: unknown) => {
  const result = tryExpandDefinition(input, { now });
  return result.ok ? [] : result.issues;
};

describe('case_alert playbook', () => {
  it('alerts now, follows up at +3 days and escalates at +7 days', () => {
    expect(plan(caseAlert)).toEqual([
      ['alert', '2027-03-01T12:00:00.000Z'],
      ['follow-up', '2027-03-04T12:00:00.000Z'],
      ['escalation', '2027-03-08T12:00:00.000Z'],
    ]);
  });

  it('targets everyone first, then only those who have not acted', () => {
    const stages = expandDefinition(caseAlert, { now }).stages;
    expect(stages.map((s) => [s.audience.select, s.channel])).toEqual([
      ['all', 'both'],
      ['not_acted', 'sms_then_email'],
      ['not_acted', 'sms_then_email'],
    ]);
  });

  it('fires the escalation only under the action-rate threshold, widening after the follow-up', () => {
    const [, followUp, escalation] = expandDefinition(
      { ...caseAlert, params: { ...caseAlert.params, actionRateThreshold: 0.35 } },
      { now },
    ).stages;
    expect([followUp?.escalation?.ifActionRateBelow, followUp?.escalation?.then]).toEqual([
      0.35,
      'widen_audience',
    ]);
    expect(escalation?.condition).toEqual({ actionRateBelow: 0.35 });
    expect([escalation?.escalation?.ifActionRateBelow, escalation?.escalation?.then]).toEqual([
      0.35,
      'notify_organizers',
    ]);
  });

  it('defaults the threshold to 20%', () => {
    expect(expandDefinition(caseAlert, { now }).stages[2]?.condition).toEqual({ actionRateBelow: 0.2 });
  });

  it('takes follow-up and escalation offsets from params', () => {
    const input = {
      ...caseAlert,
      params: { ...caseAlert.params, followUpAfter: 'P2D', escalationAfter: 'P5DT12H' },
    };
    expect(plan(input).slice(1)).toEqual([
      ['follow-up', '2027-03-03T12:00:00.000Z'],
      ['escalation', '2027-03-07T00:00:00.000Z'],
    ]);
  });

  it('fills every stage from the campaign content and action, with the title as the email subject where missing', () => {
    const stages = expandDefinition(caseAlert, { now }).stages;
    for (const s of stages) expect(s.action).toEqual(action);
    expect(stages[0]?.content.en).toEqual({ ...content.en });
    expect(stages[0]?.content.km).toEqual({
      sms: content.km.sms,
      subject: 'Free Kem Sokha',
      body: content.km.sms,
    });
  });

  it('lets a request stage override one field of a playbook stage by key', () => {
    const campaign = expandDefinition(
      {
        ...caseAlert,
        stages: [
          { key: 'follow-up', at: { after: 'P1D' }, content: { en: { sms: 'Reminder: {{actionUrl}}' } } },
          { key: 'escalation', audience: { tags: { include: ['lowell'] } } },
        ],
      },
      { now },
    );
    const followUp = campaign.stages.find((s) => s.key === 'follow-up');
    expect(followUp?.scheduledAt).toBe('2027-03-02T12:00:00.000Z');
    expect(followUp?.audience.select).toBe('not_acted');
    expect(followUp?.content).toEqual({
      en: { sms: 'Reminder: {{actionUrl}}', subject: 'Free Kem Sokha', body: 'Reminder: {{actionUrl}}' },
    });
    expect(followUp?.source).toBe('request');
    const escalation = campaign.stages.find((s) => s.key === 'escalation');
    expect(escalation?.audience).toEqual({ select: 'not_acted', tags: { include: ['lowell'], exclude: [] } });
  });

  it('adds request stages with new keys in time order', () => {
    expect(plan({ ...caseAlert, stages: [{ key: 'thanks', at: { after: 'P5D' } }] }).map(([k]) => k)).toEqual(
      ['alert', 'follow-up', 'thanks', 'escalation'],
    );
  });

  it('applies campaign exclusions to every stage', () => {
    const stages = expandDefinition(
      {
        ...caseAlert,
        audience: { tags: { include: ['boston'], exclude: ['at-risk'] } },
        stages: [{ key: 'follow-up', audience: { tags: { exclude: ['staff'] } } }],
      },
      { now },
    ).stages;
    expect(stages[0]?.audience.tags).toEqual({ include: ['boston'], exclude: ['at-risk'] });
    expect(stages[1]?.audience.tags).toEqual({ include: ['boston'], exclude: ['at-risk', 'staff'] });
  });

  it('names a request stage in the past by its path', () => {
    expect(
      issuesOf({ ...caseAlert, stages: [{ key: 'follow-up', at: { at: '2027-02-01T00:00:00Z' } }] }),
    ).toEqual([{ path: 'stages.0.at', message: expect.stringContaining('before the launch') }]);
  });

  it('requires content for an SMS-only stage in every locale it has', () => {
    const input = {
      ...caseAlert,
      content: { en: { subject: 'Hi', body: 'Body' } },
      stages: [{ key: 'alert', channel: 'sms' }],
    };
    expect(issuesOf(input)).toEqual([{ path: 'content.en.sms', message: 'required for channel sms' }]);
  });

  it('rejects a locale that has only a subject, since nothing could be sent in it', () => {
    const input = { ...caseAlert, content: { ...content, km: { subject: 'ប្រធានបទ' } } };
    expect(issuesOf(input)).toEqual([
      { path: 'content.km.sms', message: expect.stringMatching(/subject alone/) },
    ]);
  });

  it('is deterministic: the same input and now give the same plan', () => {
    expect(expandDefinition(caseAlert, { now })).toEqual(
      expandDefinition(structuredClone(caseAlert), { now }),
    );
  });

  it('throws a DefinitionError carrying schema issues', () => {
    expect(() => expandDefinition({ ...caseAlert, kind: 'petition' }, { now })).toThrow(DefinitionError);
    expect(issuesOf({ ...caseAlert, kind: 'petition' }).map((i) => i.path)).toEqual(['kind']);
  });
});

describe('election_boycott playbook', () => {
  const election = {
    kind: 'election_boycott',
    title: 'Boycott the sham election',
    params: { electionDate: '2027-07-23T07:00:00+07:00' },
    content,
  };

  it('counts down T-30d, T-14d, T-7d, T-1d, polling day, then reports two days after', () => {
    expect(plan(election)).toEqual([
      ['t-30d', '2027-06-23T00:00:00.000Z'],
      ['t-14d', '2027-07-09T00:00:00.000Z'],
      ['t-7d', '2027-07-16T00:00:00.000Z'],
      ['t-1d', '2027-07-22T00:00:00.000Z'],
      ['polling-day', '2027-07-23T00:00:00.000Z'],
      ['report', '2027-07-25T00:00:00.000Z'],
    ]);
    expect(expandDefinition(election, { now }).windowEnd).toBe('2027-07-25T00:00:00.000Z');
  });

  it('takes the countdown and report offset from params', () => {
    const input = {
      ...election,
      params: { ...election.params, countdown: ['P21D', 'PT12H'], reportAfter: 'P1D' },
    };
    expect(plan(input).map(([k]) => k)).toEqual(['t-21d', 't-12h', 'polling-day', 'report']);
    expect(plan(input).at(-1)).toEqual(['report', '2027-07-24T00:00:00.000Z']);
  });

  it('leaves out countdown reminders already past when launched late, and lists them', () => {
    const late = expandDefinition(election, { now: new Date('2027-07-10T00:00:00Z') });
    expect(late.stages.map((s) => s.key)).toEqual(['t-7d', 't-1d', 'polling-day', 'report']);
    expect(late.dropped).toEqual([
      { key: 't-30d', reason: 'past_at_launch' },
      { key: 't-14d', reason: 'past_at_launch' },
    ]);
  });

  it('rejects a stage after the window closes with the report', () => {
    const input = { ...election, stages: [{ key: 'thanks', at: { after: 'P5D', anchor: 'electionDate' } }] };
    expect(issuesOf(input)).toEqual([
      { path: 'stages.0.at', message: expect.stringContaining('after the election window closes') },
    ]);
  });

  it('rejects a campaign whose election window has already closed', () => {
    const result = tryExpandDefinition(election, { now: new Date('2027-08-01T00:00:00Z') });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['params.electionDate']);
  });
});

describe('sanctions_lobbying playbook', () => {
  const sanctions = {
    kind: 'sanctions_lobbying',
    title: 'Magnitsky sanctions now',
    content,
    action: { url: 'https://act.example.org/sanctions', targets: [{ name: 'Sen. A', title: 'Senator' }] },
  };

  it('asks once a week for eight weeks by default, then escalates', () => {
    const keys = plan(sanctions);
    expect(keys.map(([k]) => k)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `week-${i + 1}`),
      'escalation',
    ]);
    expect(keys[0]).toEqual(['week-1', '2027-03-01T12:00:00.000Z']);
    expect(keys[7]).toEqual(['week-8', '2027-04-19T12:00:00.000Z']);
    expect(keys[8]).toEqual(['escalation', '2027-04-26T12:00:00.000Z']);
  });

  it('names each week its own targets, falling back to the action targets', () => {
    const weeklyTargets = [[{ name: 'Rep. B' }], [{ name: 'Ministry C', title: 'Foreign Ministry' }]];
    const stages = expandDefinition({ ...sanctions, params: { weeks: 3, weeklyTargets } }, { now }).stages;
    expect(stages.map((s) => s.action?.targets?.map((t) => t.name))).toEqual([
      ['Rep. B'],
      ['Ministry C'],
      ['Sen. A'],
      ['Rep. B', 'Ministry C', 'Sen. A'],
    ]);
    expect(stages.at(-1)?.condition).toEqual({ targetsPending: ['Rep. B', 'Ministry C', 'Sen. A'] });
  });

  it('escalates on the respond-by date when one is given', () => {
    const input = { ...sanctions, params: { weeks: 4, respondByDate: '2027-03-20T17:00:00-04:00' } };
    expect(plan(input).map(([k, t]) => `${k}@${t}`)).toEqual([
      'week-1@2027-03-01T12:00:00.000Z',
      'week-2@2027-03-08T12:00:00.000Z',
      'week-3@2027-03-15T12:00:00.000Z',
      'escalation@2027-03-20T21:00:00.000Z',
      'week-4@2027-03-22T12:00:00.000Z',
    ]);
  });

  it('rejects a respond-by date already past', () => {
    expect(
      issuesOf({ ...sanctions, params: { respondByDate: '2027-02-01T00:00:00Z' } }).map((i) => i.path),
    ).toEqual(['params.respondByDate']);
  });
});

describe('custom campaigns', () => {
  it('take their stages from the request, each needing a time and content', () => {
    const input = {
      kind: 'custom',
      title: 'Vigil',
      stages: [
        {
          key: 'invite',
          at: { after: 'PT0S' },
          channel: 'email',
          content: { en: { subject: 'Vigil', body: 'Join us' } },
        },
        { key: 'reminder', at: { after: 'P1D' } },
        { key: 'late', content: { en: { sms: 'x' } } },
      ],
    };
    expect(issuesOf(input)).toEqual([{ path: 'stages.2.at', message: expect.stringMatching(/required/) }]);
    const fixed = { ...input, stages: input.stages.slice(0, 2) };
    expect(issuesOf(fixed)).toEqual([
      { path: 'stages.1.content', message: expect.stringMatching(/no content/) },
    ]);
    expect(plan({ ...input, stages: input.stages.slice(0, 1) })).toEqual([
      ['invite', '2027-03-01T12:00:00.000Z'],
    ]);
  });
});
