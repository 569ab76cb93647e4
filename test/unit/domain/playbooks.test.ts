import { describe, expect, it } from 'vitest';
import { audienceRule } from '../../../domain/audience-rule';
import { DefinitionError } from '../../../domain/definition-error';
import { expandDefinition, tryExpandDefinition } from '../../../domain/playbooks';

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

  it('fires the escalation only under the action-rate threshold, and only notifies organizers without params.widenTo', () => {
    const [, followUp, escalation] = expandDefinition(
      { ...caseAlert, params: { ...caseAlert.params, actionRateThreshold: 0.35 } },
      { now },
    ).stages;
    const e = followUp?.escalation;
    expect([e?.ifActionRateBelow, e?.then, e?.widenTo]).toEqual([0.35, 'notify_organizers', undefined]);
    expect(escalation?.condition).toEqual({ actionRateBelow: 0.35 });
    expect([escalation?.escalation?.ifActionRateBelow, escalation?.escalation?.then]).toEqual([
      0.35,
      'notify_organizers',
    ]);
  });

  it('widens after the follow-up to exactly the tags params.widenTo names', () => {
    const widenTo = { tags: { include: ['partners'] } };
    const [, followUp, escalation] = expandDefinition(
      { ...caseAlert, params: { ...caseAlert.params, widenTo } },
      { now },
    ).stages;
    const e = followUp?.escalation;
    expect([e?.ifActionRateBelow, e?.then, e?.widenTo]).toEqual([0.2, 'widen_audience', widenTo]);
    expect(escalation?.escalation?.then).toBe('notify_organizers');
  });

  it('refuses widen_audience without widenTo, naming the path', () => {
    expect(
      issuesOf({
        ...caseAlert,
        // biome-ignore lint/suspicious/noThenProperty: API.md names the escalation step `then`
        stages: [{ key: 'follow-up', escalation: { ifActionRateBelow: 0.2, then: 'widen_audience' } }],
      }),
    ).toEqual([{ path: 'stages.0.escalation.widenTo', message: expect.stringContaining('required') }]);
  });

  it('refuses a widening to no tag and widenTo on a notify step', () => {
    expect(
      issuesOf({ ...caseAlert, params: { ...caseAlert.params, widenTo: { tags: { include: [] } } } }),
    ).toEqual([
      { path: 'params.widenTo.tags.include', message: expect.stringContaining('at least one tag') },
    ]);
    expect(
      issuesOf({
        ...caseAlert,
        stages: [
          {
            key: 'follow-up',
            escalation: {
              ifActionRateBelow: 0.2,
              // biome-ignore lint/suspicious/noThenProperty: API.md names the escalation step `then`
              then: 'notify_organizers',
              widenTo: { tags: { include: ['partners'] } },
            },
          },
        ],
      }),
    ).toEqual([{ path: 'stages.0.escalation.widenTo', message: 'only used with then: widen_audience' }]);
  });

  it('adds request stages with new keys in time order', () => {
    expect(plan({ ...caseAlert, stages: [{ key: 'thanks', at: { after: 'P5D' } }] }).map(([k]) => k)).toEqual(
      ['alert', 'follow-up', 'thanks', 'escalation'],
    );
  });

  it("keeps each stage's own narrowing; the campaign's audience is applied around it by the audience rule", () => {
    const def = {
      ...caseAlert,
      audience: { tags: { include: ['boston'], exclude: ['at-risk'] } },
      stages: [{ key: 'follow-up', audience: { tags: { include: ['students'], exclude: ['staff'] } } }],
    };
    const stages = expandDefinition(def, { now }).stages;
    expect(stages[0]?.audience.tags).toEqual({ include: [], exclude: [] });
    expect(stages[1]?.audience.tags).toEqual({ include: ['students'], exclude: ['staff'] });
    // A stage include narrows (boston AND students); it never replaces the campaign's.
    expect(audienceRule(def.audience.tags, stages[1]!.audience)).toEqual({
      select: 'not_acted',
      campaignInclude: ['boston'],
      stageInclude: ['students'],
      exclude: ['at-risk', 'staff'],
      widenedTo: [],
    });
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
