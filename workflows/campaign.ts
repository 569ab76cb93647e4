import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryActivities, OrchestratorActivities } from '../activities/types';
import { emptyStageCounts } from '../domain/campaign-status';
import type {
  CampaignState,
  CampaignStatus,
  CampaignWorkflowInput,
  StageState,
} from '../domain/campaign-workflow';
import { ACTIVITY_FAILURES } from '../domain/failure-types';
import { CampaignStatusKey } from '../domain/search-attributes';
import { PAGE_SIZE, TASK_QUEUES } from '../domain/task-queues';
import {
  type AppealByRequest,
  appealByUpdate,
  type CaseUpdateRequest,
  cancelSignal,
  caseUpdateUpdate,
  editStageUpdate,
  pauseSignal,
  resumeSignal,
  type StageEdit,
  statusQuery,
} from './messages';
import {
  desiredStatus as desiredStatusOf,
  closing as isClosing,
  mirrorSnapshot,
  nextPending,
  passesFor,
  sameMirror,
} from './stage-selection';
import { stageView, statusView } from './status-view';
import { validateAppealBy, validateCaseUpdate, validateStageEdit } from './validators';

/** Continue-as-new well before Temporal's own warnings, even if the server does not suggest it. */
const HISTORY_LIMIT = 10_000;

const orchestrator = proxyActivities<OrchestratorActivities>({
  taskQueue: TASK_QUEUES.orchestrator,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

const deliveryOptions = (taskQueue: string) =>
  proxyActivities<DeliveryActivities>({
    taskQueue,
    startToCloseTimeout: '30 minutes',
    // A page heartbeats while it sends (at most once a second): a killed worker's page is retried elsewhere within seconds.
    heartbeatTimeout: '15 seconds',
    retry: {
      initialInterval: '1s',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: [ACTIVITY_FAILURES.stageRunMissing],
    },
  });
const delivery = { sms: deliveryOptions(TASK_QUEUES.sms), email: deliveryOptions(TASK_QUEUES.email) };

// Only campaigns started with the attribute (the API sets it) keep it current, so the Temporal UI can filter by status.
function mirrorSearchAttribute(status: CampaignStatus) {
  if (workflowInfo().typedSearchAttributes.get(CampaignStatusKey) === undefined) return;
  upsertSearchAttributes([{ key: CampaignStatusKey, value: status }]);
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<{ status: CampaignStatus }> {
  const s: CampaignState = input.state ?? {
    status: 'scheduled',
    stages: input.stages.map((plan) => ({ plan, status: 'pending', counts: emptyStageCounts() })),
    paused: false,
    cancelled: false,
    caseUpdateSeq: 0,
    actionRate: null,
    escalations: [],
    ...(input.appealBy ? { appealBy: input.appealBy } : {}),
  };
  const ids = { campaignId: input.campaignId, orgId: input.orgId };
  const closing = () => isClosing(s);

  setHandler(pauseSignal, () => {
    s.paused = true;
  });
  setHandler(resumeSignal, () => {
    s.paused = false;
  });
  setHandler(cancelSignal, () => {
    s.cancelled = true;
  });
  setHandler(statusQuery, () => statusView(input, s));
  setHandler(
    editStageUpdate,
    async (edit: StageEdit) => {
      const stage = s.stages.find((st) => st.plan.key === edit.key)!;
      await orchestrator.saveStageEdit({ ...ids, edit });
      if (edit.at) stage.plan = { ...stage.plan, scheduledAt: edit.at };
      return stageView(stage);
    },
    { validator: (edit: StageEdit) => validateStageEdit(s, edit, new Date(Date.now())) },
  );
  setHandler(
    appealByUpdate,
    (req: AppealByRequest) => {
      s.appealBy = new Date(Date.parse(req.appealBy)).toISOString();
      return { appealBy: s.appealBy };
    },
    { validator: (req: AppealByRequest) => validateAppealBy(s, req, new Date(Date.now())) },
  );
  // Only campaigns with an appeal-by date ever read the patch marker: older histories replay unchanged.
  const appealOver = () =>
    s.appealBy !== undefined && Date.now() >= Date.parse(s.appealBy) && patched('appeal-by');
  setHandler(
    caseUpdateUpdate,
    async (req: CaseUpdateRequest) => {
      s.caseUpdateSeq += 1;
      const key = `${req.resolution ? 'closure' : 'update'}-${s.caseUpdateSeq}`;
      if (req.resolution) s.resolution = req.resolution;
      const first = s.stages.find((st) => st.plan.kind === 'stage');
      await orchestrator.saveCaseUpdateContent({ ...ids, key, content: req.content });
      s.stages.push({
        plan: {
          key,
          kind: 'case_update',
          scheduledAt: new Date(Date.now()).toISOString(),
          audience: { select: req.audience },
          channel: first?.plan.channel ?? 'sms_then_email',
        },
        status: 'pending',
        counts: emptyStageCounts(),
      });
      return { key };
    },
    { validator: (req: CaseUpdateRequest) => validateCaseUpdate(s, req) },
  );

  const desiredStatus = () => desiredStatusOf(s);
  // What Postgres shows for lists; written only when it changes, so waiting costs no activities.
  const mirror = async (status: CampaignStatus) => {
    s.status = status;
    const m = mirrorSnapshot(s.stages, status);
    if (sameMirror(s.mirrored, m)) return;
    await orchestrator.markCampaign({ ...ids, ...m });
    if (s.mirrored?.status !== status) mirrorSearchAttribute(status);
    s.mirrored = m;
  };

  const maybeContinueAsNew = async () => {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < (input.historyLimit ?? HISTORY_LIMIT)) return;
    await condition(allHandlersFinished);
    s.mirrored = undefined;
    await continueAsNew<typeof campaignWorkflow>({ ...input, state: s });
  };

  const cancelPending = () => {
    for (const st of s.stages)
      if (st.status === 'pending' && st.plan.kind === 'stage') st.status = 'cancelled';
  };

  const runStage = async (stage: StageState): Promise<'done' | 'interrupted'> => {
    stage.status = 'running';
    if (!stage.stageRunId) {
      const run = await orchestrator.startStageRun({
        ...ids,
        stageKey: stage.plan.key,
        kind: stage.plan.kind,
        channel: stage.plan.channel,
        audience: stage.plan.audience,
        // Whom fired widenings named; the activity applies the campaign's own audience around it.
        widenedTo: s.widenedTo ?? [],
        scheduledAt: stage.plan.scheduledAt,
      });
      stage.stageRunId = run.stageRunId;
      stage.counts.targeted = run.targeted;
      stage.cursor = { pass: 0, afterSeq: 0 };
    }
    await mirror(desiredStatus());
    const stageRunId = stage.stageRunId;
    const passes = passesFor(stage.plan.channel);
    const cursor = stage.cursor ?? { pass: 0, afterSeq: 0 };
    stage.cursor = cursor;
    for (; cursor.pass < passes.length; cursor.pass++, cursor.afterSeq = 0) {
      const pass = passes[cursor.pass]!;
      for (;;) {
        // Page boundary: a pause holds here, a cancel or closure stops the stage.
        if (s.paused) await mirror('paused');
        await condition(() => !s.paused || s.cancelled || (closing() && stage.plan.kind === 'stage'));
        if (s.cancelled || (closing() && stage.plan.kind === 'stage')) return 'interrupted';
        await mirror(desiredStatus());
        const page = await delivery[pass.channel].deliverPage({
          stageRunId,
          afterSeq: cursor.afterSeq,
          limit: PAGE_SIZE,
          fallbackOnly: pass.fallbackOnly,
        });
        addCounts(stage, page);
        cursor.afterSeq = page.nextSeq;
        if (page.done) break;
        await maybeContinueAsNew();
      }
    }
    // SMS recipients inside quiet hours were deferred, never dropped: send each batch when its window opens.
    for (;;) {
      const next = await orchestrator.nextDeferred({ stageRunId });
      if (!next.at) break;
      const wait = Date.parse(next.at) - Date.now();
      if (wait > 0 && (await condition(() => s.cancelled, wait))) return 'interrupted';
      for (;;) {
        const page = await delivery.sms.deliverDeferred({ stageRunId, limit: PAGE_SIZE });
        if (page.done) break;
      }
    }
    // The rows are the truth once paging is over (deferred sends and retries included).
    Object.assign(stage.counts, await orchestrator.stageCounts({ stageRunId }));
    return 'done';
  };

  function addCounts(
    stage: StageState,
    page: { sent: number; failed: number; deferred: number; excluded: number },
  ) {
    stage.counts.sent += page.sent;
    stage.counts.failed += page.failed;
    stage.counts.deferred += page.deferred;
    stage.counts.excluded += page.excluded;
  }

  for (;;) {
    if (s.cancelled) {
      cancelPending();
      for (const st of s.stages) if (st.status === 'running') st.status = 'cancelled';
      await orchestrator.finishCampaign({ ...ids, status: 'cancelled', stages: s.stages.map(stageView) });
      s.status = 'cancelled';
      mirrorSearchAttribute('cancelled');
      await condition(allHandlersFinished);
      return { status: 'cancelled' };
    }
    if (closing()) cancelPending();
    if (s.appealBy !== undefined && appealOver()) {
      // The appeal has closed: follow-ups and escalations still pending are skipped.
      for (const st of s.stages) {
        if (st.status !== 'pending' || st.plan.kind !== 'stage') continue;
        st.status = 'skipped';
        await orchestrator.markStageSkipped({
          ...ids,
          stageKey: st.plan.key,
          scheduledAt: st.plan.scheduledAt,
        });
      }
    }
    const stage = nextPending(s.stages);
    if (!stage) {
      const final: CampaignStatus = s.resolution ? 'closed' : 'completed';
      await orchestrator.finishCampaign({ ...ids, status: final, stages: s.stages.map(stageView) });
      s.status = final;
      mirrorSearchAttribute(final);
      await condition(allHandlersFinished);
      return { status: final };
    }
    if (stage.status === 'pending') {
      const wait = Date.parse(stage.plan.scheduledAt) - Date.now();
      if (wait > 0 || s.paused) {
        await mirror(desiredStatus());
        const planned = stage.plan.scheduledAt;
        const stageCount = s.stages.length;
        const appealBy = s.appealBy;
        // The appeal-by time wakes the wait too (only campaigns that have one: others keep their timers).
        const untilAppeal =
          appealBy !== undefined && Date.parse(appealBy) > Date.now()
            ? Date.parse(appealBy) - Date.now()
            : undefined;
        const timeout =
          wait > 0 ? (untilAppeal !== undefined ? Math.min(wait, untilAppeal) : wait) : untilAppeal;
        // Woken by: the stage time, resume, cancel, a case update, an edit of the time, a status change to mirror.
        await condition(
          () =>
            s.cancelled ||
            s.stages.length !== stageCount ||
            stage.plan.scheduledAt !== planned ||
            s.appealBy !== appealBy ||
            (untilAppeal !== undefined && Date.now() >= Date.parse(appealBy!)) ||
            !sameMirror(mirrorSnapshot(s.stages, desiredStatus()), s.mirrored) ||
            (!s.paused && Date.now() >= Date.parse(stage.plan.scheduledAt)),
          timeout,
        );
        continue;
      }
      if (stage.plan.onlyIfTargetsPending?.length && patched('targets-pending-replies')) {
        // The sanctions escalation: only while some named target has not answered.
        const { pending } = await orchestrator.targetsPending({
          ...ids,
          targets: stage.plan.onlyIfTargetsPending,
        });
        if (pending.length === 0) {
          stage.status = 'skipped';
          await orchestrator.markStageSkipped({
            ...ids,
            stageKey: stage.plan.key,
            scheduledAt: stage.plan.scheduledAt,
          });
          continue;
        }
      }
      if (stage.plan.onlyIfActionRateBelow !== undefined) {
        const { actionRate } = await orchestrator.actionRate(ids);
        s.actionRate = actionRate;
        if (actionRate >= stage.plan.onlyIfActionRateBelow) {
          stage.status = 'skipped';
          await orchestrator.markStageSkipped({
            ...ids,
            stageKey: stage.plan.key,
            scheduledAt: stage.plan.scheduledAt,
          });
          continue;
        }
      }
      s.status = 'running';
    }
    const outcome = await runStage(stage);
    if (outcome === 'interrupted') {
      stage.status = 'cancelled';
      await orchestrator.finishStageRun({ stageRunId: stage.stageRunId!, status: 'cancelled' });
      continue;
    }
    stage.status = 'done';
    await orchestrator.finishStageRun({ stageRunId: stage.stageRunId!, status: 'done' });
    if (stage.plan.escalation) {
      const { actionRate } = await orchestrator.actionRate(ids);
      s.actionRate = actionRate;
      const rule = stage.plan.escalation;
      if (actionRate < rule.ifActionRateBelow) {
        // Older plans carry widen_audience without widenTo: they widen to nobody (the escalation is recorded).
        const widenTo = patched('widen-to-named-audience') ? rule.widenTo : undefined;
        s.escalations.push({
          stageKey: stage.plan.key,
          actionRate,
          step: rule.step,
          ifActionRateBelow: rule.ifActionRateBelow,
          ...(widenTo ? { widenTo } : {}),
        });
        if (rule.step === 'widen_audience' && widenTo) s.widenedTo = [...(s.widenedTo ?? []), widenTo];
        await orchestrator.recordEscalation({
          ...ids,
          stageKey: stage.plan.key,
          actionRate,
          step: rule.step,
          ifActionRateBelow: rule.ifActionRateBelow,
          widenTo: widenTo ?? null,
        });
      }
    }
    await maybeContinueAsNew();
  }
}
