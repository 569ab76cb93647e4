import { describe, expect, it } from 'vitest';
import { emptyStageCounts } from '../../domain/campaign-status';
import type { StagePlan, StageState } from '../../domain/campaign-workflow';
import {
  closing,
  desiredStatus,
  mirrorSnapshot,
  nextPending,
  passesFor,
  sameMirror,
} from '../../workflows/stage-selection';

const stage = (
  key: string,
  at: string,
  over: Partial<StageState> & { kind?: StagePlan['kind'] } = {},
): StageState => ({
  plan: {
    key,
    kind: over.kind ?? 'stage',
    scheduledAt: at,
    audience: { select: 'all' },
    channel: 'sms_then_email',
  },
  status: over.status ?? 'pending',
  counts: emptyStageCounts(),
});

describe('stage selection', () => {
  it('takes the earliest pending stage, a running one before a later pending one', () => {
    const stages = [
      stage('follow_up', '2026-12-03T00:00:00Z'),
      stage('alert', '2026-12-01T00:00:00Z', { status: 'done' }),
      stage('escalation', '2026-12-02T00:00:00Z', { status: 'running' }),
    ];
    expect(nextPending(stages)?.plan.key).toBe('escalation');
    expect(nextPending([stages[0]!, stages[1]!])?.plan.key).toBe('follow_up');
    expect(nextPending([stages[1]!])).toBeUndefined();
  });

  it('lets a case update jump the queue, and keeps declaration order on equal times', () => {
    const stages = [
      stage('a', '2026-12-01T00:00:00Z'),
      stage('b', '2026-12-01T00:00:00Z'),
      stage('update-1', '2026-12-05T00:00:00Z', { kind: 'case_update' }),
    ];
    expect(nextPending(stages)?.plan.key).toBe('update-1');
    expect(nextPending(stages.slice(0, 2))?.plan.key).toBe('a');
  });

  it('is closing only while a closure is queued', () => {
    const closure = stage('closure-1', '2026-12-05T00:00:00Z', { kind: 'case_update' });
    expect(closing({ stages: [closure], resolution: 'released' })).toBe(true);
    expect(closing({ stages: [closure], resolution: undefined })).toBe(false);
    expect(closing({ stages: [{ ...closure, status: 'done' }], resolution: 'released' })).toBe(false);
  });

  it('makes one pass per channel, the email pass of sms_then_email a fallback only', () => {
    expect(passesFor('sms')).toEqual([{ channel: 'sms', fallbackOnly: false }]);
    expect(passesFor('both').map((p) => p.fallbackOnly)).toEqual([false, false]);
    expect(passesFor('sms_then_email')).toEqual([
      { channel: 'sms', fallbackOnly: false },
      { channel: 'email', fallbackOnly: true },
    ]);
  });

  it('shows paused over anything but keeps scheduled until the first stage starts', () => {
    expect(desiredStatus({ paused: true, status: 'running' })).toBe('paused');
    expect(desiredStatus({ paused: false, status: 'scheduled' })).toBe('scheduled');
    expect(desiredStatus({ paused: false, status: 'paused' })).toBe('running');
  });
});

describe('the Postgres mirror', () => {
  const stages = [
    stage('alert', '2026-12-01T00:00:00Z', { status: 'running' }),
    stage('escalation', '2026-12-09T00:00:00Z'),
    stage('follow_up', '2026-12-04T00:00:00Z'),
  ];

  it('names the running stage and the earliest pending time', () => {
    expect(mirrorSnapshot(stages, 'running')).toEqual({
      status: 'running',
      currentStage: 'alert',
      nextStageAt: '2026-12-04T00:00:00Z',
    });
    expect(mirrorSnapshot([], 'completed')).toEqual({
      status: 'completed',
      currentStage: null,
      nextStageAt: null,
    });
  });

  it('is compared as a value: equal fields are the same, any change or a missing one is not', () => {
    const m = mirrorSnapshot(stages, 'running');
    expect(sameMirror(m, { ...m })).toBe(true);
    expect(sameMirror(m, { ...m, status: 'paused' })).toBe(false);
    expect(sameMirror(m, { ...m, currentStage: null })).toBe(false);
    expect(sameMirror(m, { ...m, nextStageAt: '2026-12-09T00:00:00Z' })).toBe(false);
    expect(sameMirror(undefined, m)).toBe(false);
  });
});
