import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../../domain/definition-error';
import { resolveSchedule, type SchedulableStage } from '../../../domain/schedule';

const now = new Date('2027-03-01T12:00:00Z');

function schedule(
  stages: SchedulableStage[],
  extra: { params?: Record<string, unknown>; launchAt?: string } = {},
) {
  return resolveSchedule({ stages, ...extra }, { now }).map((s) => [s.key, s.scheduledAt]);
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof DefinitionError) return err.issues;
    throw err;
  }
  return [];
}

describe('resolveSchedule', () => {
  it('counts `after` from launch, which defaults to now', () => {
    expect(schedule([{ key: 'a', at: { after: 'P3D' } }])).toEqual([['a', '2027-03-04T12:00:00.000Z']]);
  });

  it('counts `after` from a later launchAt', () => {
    expect(
      schedule([{ key: 'a', at: { after: 'PT30M' } }], { launchAt: '2027-03-02T09:00:00+07:00' }),
    ).toEqual([['a', '2027-03-02T02:30:00.000Z']]);
  });

  it('places an absolute time as given, converted to UTC', () => {
    expect(schedule([{ key: 'a', at: { at: '2027-05-01T09:00:00+07:00' } }])).toEqual([
      ['a', '2027-05-01T02:00:00.000Z'],
    ]);
  });

  it('counts `before` back from the anchor date in params, and `after` forward from it', () => {
    const params = { electionDate: '2027-07-23T07:00:00+07:00' };
    expect(
      schedule(
        [
          { key: 'week-before', at: { before: 'P7D', anchor: 'electionDate' } },
          { key: 'day-of', at: { before: 'P0D', anchor: 'electionDate' } },
          { key: 'report', at: { after: 'P2D', anchor: 'electionDate' } },
        ],
        { params },
      ),
    ).toEqual([
      ['week-before', '2027-07-16T00:00:00.000Z'],
      ['day-of', '2027-07-23T00:00:00.000Z'],
      ['report', '2027-07-25T00:00:00.000Z'],
    ]);
  });

  it('sorts by time and keeps declaration order for ties', () => {
    const keys = resolveSchedule(
      {
        stages: [
          { key: 'late', at: { after: 'P2D' } },
          { key: 'tie-1', at: { after: 'P1D' } },
          { key: 'early', at: { after: 'PT0S' } },
          { key: 'tie-2', at: { at: '2027-03-02T12:00:00Z' } },
        ],
      },
      { now },
    ).map((s) => s.key);
    expect(keys).toEqual(['early', 'tie-1', 'tie-2', 'late']);
  });

  it('keeps a stage at offset zero even though it is not in the future', () => {
    expect(schedule([{ key: 'now', at: { after: 'PT0S' } }])).toEqual([['now', now.toISOString()]]);
    expect(schedule([{ key: 'now', at: { at: now.toISOString() } }])).toEqual([['now', now.toISOString()]]);
  });

  it('rejects a stage already past at launch, naming its path', () => {
    const issues = issuesOf(() =>
      schedule([
        { key: 'a', at: { after: 'P1D' } },
        { key: 'b', at: { after: 'P2D' } },
        { key: 'gone', at: { at: '2027-02-28T12:00:00Z' } },
      ]),
    );
    expect(issues).toEqual([{ path: 'stages.2.at', message: expect.stringContaining('before the launch') }]);
  });

  it('rejects an anchored stage that falls before launch, and one whose anchor is missing', () => {
    const issues = issuesOf(() =>
      schedule(
        [
          { key: 'month-before', at: { before: 'P30D', anchor: 'electionDate' } },
          { key: 'hearing', at: { before: 'P1D', anchor: 'hearingDate' } },
        ],
        { params: { electionDate: '2027-03-20T00:00:00Z' } },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['stages.0.at', 'stages.1.at']);
    expect(issues[1]?.message).toMatch(/params.hearingDate is not set/);
  });

  it('rejects an absolute time between now and a later launch', () => {
    const issues = issuesOf(() =>
      schedule([{ key: 'a', at: { at: '2027-03-05T00:00:00Z' } }], { launchAt: '2027-03-10T00:00:00Z' }),
    );
    expect(issues.map((i) => i.path)).toEqual(['stages.0.at']);
  });

  it('drops rather than rejects a past playbook default, and reports its own atPath otherwise', () => {
    const params = { electionDate: '2027-03-20T00:00:00Z' };
    expect(
      schedule(
        [
          { key: 't-30d', at: { before: 'P30D', anchor: 'electionDate' }, dropIfPast: true },
          { key: 't-7d', at: { before: 'P7D', anchor: 'electionDate' }, dropIfPast: true },
        ],
        { params },
      ),
    ).toEqual([['t-7d', '2027-03-13T00:00:00.000Z']]);
    const issues = issuesOf(() =>
      schedule(
        [{ key: 'x', at: { before: 'P30D', anchor: 'electionDate' }, atPath: 'params.electionDate' }],
        { params },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['params.electionDate']);
  });

  it('rejects a launch time in the past beyond clock skew, tolerating a few seconds', () => {
    expect(
      issuesOf(() => schedule([{ key: 'a', at: { after: 'PT0S' } }], { launchAt: '2027-03-01T11:00:00Z' })),
    ).toEqual([{ path: 'launchAt', message: expect.stringContaining('in the past') }]);
    expect(schedule([{ key: 'a', at: { after: 'PT0S' } }], { launchAt: '2027-03-01T11:59:58Z' })).toEqual([
      ['a', '2027-03-01T11:59:58.000Z'],
    ]);
  });

  it('requires a time for every stage', () => {
    expect(issuesOf(() => schedule([{ key: 'a' }]))).toEqual([
      { path: 'stages.0.at', message: expect.stringMatching(/required/) },
    ]);
  });
});
