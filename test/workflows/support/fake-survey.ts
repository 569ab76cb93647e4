import { Context } from '@temporalio/activity';
import type { SurveyActivities } from '../../../activities/types';
import {
  dueAt,
  onReply,
  onTimeout,
  openSession,
  type SessionState,
  type Step,
  type SurveySend,
} from '../../../domain/survey-flow';
import type { SurveyValue } from '../../../domain/survey-reply';
import type { Survey } from '../../../domain/survey-schema';
import type { FakeWorld } from './fake-activities';

interface Session {
  supporterId: string;
  round: number;
  state: SessionState;
  pending?: SurveySend & { dueAt: number };
}

/**
 * The conversation tables in memory, driven by the same state machine as Postgres
 * (domain/survey-flow.ts): replies arrive as the inbound webhook would write them, and the
 * survey workflow's tick materialises rounds from the fake world's deliveries, times out and sends.
 */
export function createFakeSurvey(world: FakeWorld, survey: Survey) {
  const sessions: Session[] = [];
  const answers: Array<{ supporterId: string; round: number; questionKey: string; value: SurveyValue }> = [];
  const sent: Array<SurveySend & { supporterId: string; round: number; at: number }> = [];
  let ticks = 0;
  let pumps = 0;
  const serverNow = () => Context.current().info.currentAttemptScheduledTimestampMs;

  const roundOf = (key: string) => Number(/^round-(\d+)$/.exec(key)?.[1] ?? Number.NaN);

  /** First questions delivered by round stages open a conversation each, once; the newest wins. */
  function materialize(onlyFor?: string) {
    for (const [key, run] of world.runs) {
      const round = roundOf(key);
      for (const entry of world.sent.get(key) ?? []) {
        const supporterId = entry.replace(/^sms:/, '');
        if (onlyFor && supporterId !== onlyFor) continue;
        if (sessions.some((s) => s.supporterId === supporterId && s.round === round)) continue;
        for (const older of sessions)
          if (older.supporterId === supporterId && older.state.status === 'open')
            older.state = { ...older.state, status: 'superseded' };
        sessions.push({ supporterId, round, state: openSession(survey, run.startedAt) });
      }
    }
  }

  const apply = (s: Session, step: Step, now: number) => {
    s.state = step.state;
    if (step.answer) answers.push({ supporterId: s.supporterId, round: s.round, ...step.answer });
    if (step.send) s.pending = { ...step.send, dueAt: now };
  };

  /** As the inbound webhook: STOP ends the conversation; anything else answers the open question. */
  function reply(supporterId: string, body: string, now: number): 'answered' | 'stopped' | 'ordinary' {
    materialize(supporterId);
    const open = sessions.find((s) => s.supporterId === supporterId && s.state.status === 'open');
    if (!open) return 'ordinary';
    if (body.trim().toUpperCase() === 'STOP') {
      open.state = { ...open.state, status: 'stopped' };
      open.pending = undefined;
      return 'stopped';
    }
    apply(open, onReply(survey, open.state, body, now), now);
    return 'answered';
  }

  /** Sends what is due now, as the webhook's queue would be drained. */
  function sendDue(now: number): number {
    let count = 0;
    for (const s of sessions) {
      if (!s.pending || s.pending.dueAt > now) continue;
      const send = s.pending;
      s.pending = undefined;
      const current =
        send.kind === 'thanks'
          ? s.state.status === 'completed'
          : s.state.status === 'open' && s.state.questionKey === send.questionKey;
      if (!current) continue;
      sent.push({ ...send, supporterId: s.supporterId, round: s.round, at: now });
      count += 1;
      if (send.kind !== 'thanks') s.state = { ...s.state, askedAt: now };
    }
    return count;
  }

  const activities: SurveyActivities = {
    // The real pump waits for replies for a while; this one drains the queue once and returns.
    async surveyPump() {
      pumps += 1;
      return { sent: sendDue(serverNow()), skipped: 0 };
    },
    async surveyTick(input) {
      ticks += 1;
      const now = serverNow();
      const over = world.statuses.some((s) => s === 'completed' || s === 'cancelled');
      if (input.materialize || over) materialize();
      // A cancelled campaign asks nothing more (db closeCampaignSessions).
      if (world.statuses.includes('cancelled'))
        for (const s of sessions)
          if (s.state.status === 'open') {
            s.state = { ...s.state, status: 'incomplete' };
            s.pending = undefined;
          }
      let timedOut = 0;
      for (const s of sessions) {
        const due = dueAt(survey, s.state);
        if (s.pending || due === null || due > now) continue;
        timedOut += 1;
        apply(s, onTimeout(survey, s.state, now), now);
      }
      const count = sendDue(now);
      const dues = sessions.flatMap((s) => {
        const due = s.pending ? s.pending.dueAt : dueAt(survey, s.state);
        return due === null ? [] : [due];
      });
      const open = sessions.filter((s) => s.state.status === 'open').length;
      return {
        finished: over && open === 0,
        nextDueAt: dues.length ? new Date(Math.min(...dues)).toISOString() : null,
        sweepAt: null,
        opened: 0,
        timedOut,
        sent: count,
        skipped: 0,
      };
    },
  };

  return { sessions, answers, sent, reply, activities, ticks: () => ticks, pumps: () => pumps };
}
