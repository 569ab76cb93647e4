import { ApplicationFailure } from '@temporalio/common';
import { type Logger, silentLogger } from '../core/logger';
import { recordAudit } from '../db/audit';
import { campaignActionRate, stageRunCounts } from '../db/campaign-stats';
import { jsonb, type Sql } from '../db/client';
import { earliestDeferred } from '../db/recipient-page';
import { beginSnapshot, countSnapshotAudience, EXACT_TARGETED_BELOW } from '../db/stage-snapshot';
import { targetsWithoutResponse } from '../db/target-responses';
import { CAMPAIGN_WORKFLOW_ACTOR } from '../domain/actor';
import { audienceRule } from '../domain/audience-rule';
import type { AudienceSelect, CampaignStatus, StageEdit, TagFilter } from '../domain/campaign-workflow';
import type { ChannelPolicy } from '../domain/channels';
import type { LocalizedContent } from '../domain/content-schema';
import { ACTIVITY_FAILURES } from '../domain/failure-types';
import { parseStoredDefinition, type StoredDefinition, stageRunContent } from '../domain/stored-definition';

interface Ids {
  campaignId: string;
  orgId: string;
}

/** Activities of the orchestrator queue: audience snapshots, status mirrors, stats. Ids in, ids out. */
/** `log` receives what the orchestrator decides (ids and counts only); silent when absent. */
export function createOrchestratorActivities({ sql, log = silentLogger() }: { sql: Sql; log?: Logger }) {
  async function loadDefinition(ids: Ids): Promise<StoredDefinition> {
    const [row] = await sql<{ definition: unknown }[]>`
      select definition from campaigns where id = ${ids.campaignId} and org_id = ${ids.orgId}`;
    if (!row)
      throw ApplicationFailure.nonRetryable(
        `campaign ${ids.campaignId} not found`,
        ACTIVITY_FAILURES.campaignMissing,
      );
    return parseStoredDefinition(row.definition);
  }

  return {
    async markCampaign(
      input: Ids & { status: CampaignStatus; currentStage: string | null; nextStageAt: string | null },
    ) {
      await sql`update campaigns set status = ${input.status}, current_stage = ${input.currentStage},
        next_stage_at = ${input.nextStageAt}, updated_at = now()
        where id = ${input.campaignId} and org_id = ${input.orgId}`;
    },

    async finishCampaign(
      input: Ids & {
        status: CampaignStatus;
        stages: Array<{ key: string; status: string; scheduledAt: string }>;
      },
    ) {
      await sql.begin(async (tx) => {
        await tx`update campaigns set status = ${input.status}, current_stage = null, next_stage_at = null, updated_at = now()
          where id = ${input.campaignId} and org_id = ${input.orgId}`;
        for (const st of input.stages) {
          if (st.status !== 'cancelled' && st.status !== 'skipped') continue;
          await tx`update stage_runs set status = ${st.status}, finished_at = coalesce(finished_at, now())
            where campaign_id = ${input.campaignId} and stage_key = ${st.key} and status in ('pending', 'running')`;
        }
      });
    },

    /**
     * Creates (or finds, on retry) the run of a stage and snapshots its audience once: the
     * campaign's own audience (read from its definition) narrowed by the stage, plus whom fired
     * widenings named. `widened` (older workflows) is ignored: a widening without names adds nobody.
     */
    async startStageRun(
      input: Ids & {
        stageKey: string;
        kind: 'stage' | 'case_update';
        channel: ChannelPolicy;
        audience: { select: AudienceSelect; tags?: TagFilter };
        widenedTo?: TagFilter[];
        widened?: boolean;
        scheduledAt: string;
      },
    ): Promise<{ stageRunId: string; targeted: number }> {
      const def = await loadDefinition(input);
      const started = await sql.begin(async (tx) => {
        const [existing] = await tx<
          { id: string; content: unknown; snapshot_done: boolean; targeted: number; exact: boolean }[]
        >`
          select id, content, snapshot_done or snapshot_rule is not null as snapshot_done, targeted,
            snapshot_done or targeted <> ${EXACT_TARGETED_BELOW} as exact from stage_runs
          where campaign_id = ${input.campaignId} and stage_key = ${input.stageKey} for update`;
        // Begun (or, before migration 015, taken whole): a retry finds the run as it was started.
        if (existing?.snapshot_done)
          return { stageRunId: existing.id, targeted: existing.targeted, exact: existing.exact };
        // Case updates saved their own content when the Update was accepted.
        const caseContent = existing?.content as { content?: LocalizedContent } | undefined;
        const content = stageRunContent(def, input.stageKey, caseContent?.content);
        const [run] = await tx<{ id: string }[]>`
          insert into stage_runs (org_id, campaign_id, stage_key, kind, channel, status, scheduled_at, started_at, audience, content)
          values (${input.orgId}, ${input.campaignId}, ${input.stageKey}, ${input.kind}, ${input.channel}, 'running',
            ${input.scheduledAt}, now(), ${sql.json(jsonb(input.audience))}, ${sql.json(jsonb(content))})
          on conflict (campaign_id, stage_key) do update set status = 'running', started_at = now(),
            channel = excluded.channel, audience = excluded.audience, content = excluded.content
          returning id`;
        const stageRunId = run!.id;
        // The audience is written in chunks as the pages need it (db/stage-snapshot.ts): the first
        // page of a large stage does not wait for the whole snapshot.
        const { targeted, exact } = await beginSnapshot(tx as unknown as Sql, {
          stageRunId,
          orgId: input.orgId,
          campaignId: input.campaignId,
          rule: audienceRule(def.audience?.tags, input.audience, input.widenedTo),
        });
        await tx`update campaigns set current_stage = ${input.stageKey}, updated_at = now() where id = ${input.campaignId}`;
        log.info(
          { campaignId: input.campaignId, stageKey: input.stageKey, stageRunId, targeted, exact },
          'stage run started (audience snapshotted in chunks as pages need it)',
        );
        return { stageRunId, targeted, exact };
      });
      if (started.exact) return { stageRunId: started.stageRunId, targeted: started.targeted };
      // A large audience: its first page does not wait for the exact count. The count runs beside
      // the pages (about a second at 1,000,000) and writes stage_runs.targeted; if this process dies
      // first, the snapshot's end writes the count it took. The workflow keeps the lower bound until
      // the stage's closing stageCounts.
      countSnapshotAudience(sql, started.stageRunId).then(
        (n) => log.info({ stageRunId: started.stageRunId, targeted: n }, 'stage audience counted'),
        (err: Error) =>
          log.warn(
            { stageRunId: started.stageRunId, err: { name: err.name, message: err.message } },
            'stage audience count failed',
          ),
      );
      return { stageRunId: started.stageRunId, targeted: started.targeted };
    },

    async finishStageRun(input: { stageRunId: string; status: 'done' | 'cancelled' }) {
      await sql`update stage_runs set status = ${input.status}, finished_at = now() where id = ${input.stageRunId}`;
    },

    async markStageSkipped(input: Ids & { stageKey: string; scheduledAt: string }) {
      await sql`insert into stage_runs (org_id, campaign_id, stage_key, channel, status, scheduled_at, finished_at)
        values (${input.orgId}, ${input.campaignId}, ${input.stageKey}, 'none', 'skipped', ${input.scheduledAt}, now())
        on conflict (campaign_id, stage_key) do update set status = 'skipped', finished_at = now()`;
    },

    /** Of the named targets (names or keys), those with no reply logged in the campaign. */
    async targetsPending(input: Ids & { targets: string[] }): Promise<{ pending: string[] }> {
      return { pending: await targetsWithoutResponse(sql, input, input.targets) };
    },

    async actionRate(ids: Ids): Promise<{ actionRate: number; reached: number; acted: number }> {
      return campaignActionRate(sql, ids.campaignId);
    },

    /** Writes the escalation (which rule fired, and whom a widening added) where the campaign page reads it. */
    async recordEscalation(
      input: Ids & {
        stageKey: string;
        actionRate: number;
        step: string;
        ifActionRateBelow?: number;
        widenTo?: TagFilter | null;
      },
    ) {
      const detail = {
        stageKey: input.stageKey,
        actionRate: input.actionRate,
        ...(input.ifActionRateBelow !== undefined ? { ifActionRateBelow: input.ifActionRateBelow } : {}),
        ...(input.widenTo ? { widenTo: input.widenTo } : {}),
      };
      await recordAudit(sql, {
        orgId: input.orgId,
        actor: CAMPAIGN_WORKFLOW_ACTOR,
        action: `escalation.${input.step}`,
        target: `campaign:${input.campaignId}`,
        detail,
      });
      log.info({ campaignId: input.campaignId, ...detail, step: input.step }, 'escalation recorded');
    },

    async saveStageEdit(input: Ids & { edit: StageEdit }) {
      await sql.begin(async (tx) => {
        const [row] = await tx<{ definition: unknown }[]>`
          select definition from campaigns where id = ${input.campaignId} and org_id = ${input.orgId} for update`;
        if (!row)
          throw ApplicationFailure.nonRetryable('campaign not found', ACTIVITY_FAILURES.campaignMissing);
        const def = parseStoredDefinition(row.definition);
        const stages = def.stages ?? [];
        const stage = stages.find((s) => s.key === input.edit.key);
        // The workflow plans only the stages of the definition: an edit of another is a corrupt row.
        if (!stage)
          throw ApplicationFailure.nonRetryable(
            `stage ${input.edit.key} is not in the stored definition`,
            ACTIVITY_FAILURES.campaignMissing,
          );
        if (input.edit.content) stage.content = input.edit.content;
        if (input.edit.at) stage.scheduledAt = input.edit.at;
        const edited = { ...def, stages };
        await tx`update campaigns set definition = ${sql.json(jsonb(edited))}, updated_at = now()
          where id = ${input.campaignId}`;
      });
    },

    async saveCaseUpdateContent(input: Ids & { key: string; content: LocalizedContent }) {
      await sql`insert into stage_runs (org_id, campaign_id, stage_key, kind, channel, status, content)
        values (${input.orgId}, ${input.campaignId}, ${input.key}, 'case_update', 'pending', 'pending',
          ${sql.json(jsonb({ content: input.content }))})
        on conflict (campaign_id, stage_key) do nothing`;
    },

    async stageCounts(input: { stageRunId: string }) {
      const [run] = await stageRunCounts(sql, { stageRunId: input.stageRunId });
      const { targeted = 0, sent = 0, failed = 0, deferred = 0, excluded = 0 } = run ?? {};
      return { targeted, sent, failed, deferred, excluded };
    },

    /** When the earliest deferred delivery of a run may go out, or null when none is left. */
    async nextDeferred(input: { stageRunId: string }): Promise<{ at: string | null }> {
      const at = await earliestDeferred(sql, input.stageRunId);
      return { at: at ? at.toISOString() : null };
    },
  };
}
