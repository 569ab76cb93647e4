import { Context } from '@temporalio/activity';
import type { DeliveryActivities, OrchestratorActivities } from '../../../activities/types';
import type { AudienceSelect, CampaignStatus, TagFilter } from '../../../domain/campaign-workflow';

/**
 * An in-memory campaign world for workflow tests: supporters who may act, stage runs that
 * snapshot them, and pages that "send". Times are the test server's (skipped) clock.
 */
export function createFakeWorld(opts: { supporters: number; pageDelayMs?: number; responded?: string[] }) {
  const supporters = Array.from({ length: opts.supporters }, (_, i) => ({ id: `s${i}`, acted: false }));
  const runs = new Map<
    string,
    {
      key: string;
      recipients: string[];
      startedAt: number;
      audience: AudienceSelect;
      /** Whom fired widenings named, as the workflow passed it to the snapshot. */
      widenedTo: TagFilter[] | undefined;
    }
  >();
  const sent = new Map<string, string[]>(); // stage key → supporter ids sent to, in order
  const statuses: CampaignStatus[] = [];
  const edits: unknown[] = [];
  const skipped: string[] = [];
  const escalations: Array<{ stageKey: string; step: string; widenTo?: TagFilter }> = [];
  const reached = new Set<string>();
  const serverNow = () => Context.current().info.currentAttemptScheduledTimestampMs;

  const rate = () =>
    reached.size === 0 ? 0 : supporters.filter((s) => s.acted && reached.has(s.id)).length / reached.size;

  const orchestrator: OrchestratorActivities = {
    async markCampaign(i) {
      statuses.push(i.status);
    },
    async finishCampaign(i) {
      statuses.push(i.status);
    },
    async startStageRun(i) {
      const existing = runs.get(i.stageKey);
      if (existing) return { stageRunId: i.stageKey, targeted: existing.recipients.length };
      const select = i.audience.select;
      const recipients = supporters
        .filter((s) =>
          select === 'all'
            ? true
            : select === 'acted'
              ? s.acted
              : select === 'not_acted'
                ? !s.acted
                : reached.has(s.id),
        )
        .map((s) => s.id);
      runs.set(i.stageKey, {
        key: i.stageKey,
        recipients,
        startedAt: serverNow(),
        audience: select,
        widenedTo: i.widenedTo,
      });
      return { stageRunId: i.stageKey, targeted: recipients.length };
    },
    async finishStageRun() {},
    async markStageSkipped(i) {
      skipped.push(i.stageKey);
    },
    async targetsPending(i: { targets: string[] }) {
      return { pending: i.targets.filter((t) => !(opts.responded ?? []).includes(t)) };
    },
    async actionRate() {
      return { actionRate: rate(), reached: reached.size, acted: supporters.filter((s) => s.acted).length };
    },
    async recordEscalation(i) {
      escalations.push({ stageKey: i.stageKey, step: i.step, ...(i.widenTo ? { widenTo: i.widenTo } : {}) });
    },
    async saveStageEdit(i) {
      edits.push(i.edit);
    },
    async saveCaseUpdateContent() {},
    async nextDeferred() {
      return { at: null };
    },
    async stageCounts(i) {
      const run = runs.get(i.stageRunId)!;
      return {
        targeted: run.recipients.length,
        sent: sent.get(i.stageRunId)?.length ?? 0,
        failed: 0,
        deferred: 0,
        excluded: 0,
      };
    },
  };

  const delivery = (channel: 'sms' | 'email'): DeliveryActivities => ({
    async deliverPage(i) {
      if (opts.pageDelayMs) await new Promise((r) => setTimeout(r, opts.pageDelayMs));
      const run = runs.get(i.stageRunId)!;
      const page = run.recipients.slice(i.afterSeq, i.afterSeq + i.limit);
      // The fallback email pass has nobody left: every fake supporter has a phone.
      const targets = i.fallbackOnly ? [] : page;
      const list = sent.get(i.stageRunId) ?? [];
      list.push(...targets.map((id) => `${channel}:${id}`));
      sent.set(i.stageRunId, list);
      for (const id of targets) reached.add(id);
      return {
        nextSeq: i.afterSeq + page.length,
        done: page.length < i.limit,
        sent: targets.length,
        failed: 0,
        deferred: 0,
        excluded: 0,
      };
    },
    async deliverDeferred() {
      return { done: true };
    },
  });

  return {
    supporters,
    runs,
    sent,
    statuses,
    edits,
    escalations,
    skipped,
    orchestrator,
    sms: delivery('sms'),
    email: delivery('email'),
  };
}

export type FakeWorld = ReturnType<typeof createFakeWorld>;
