import { TASK_QUEUES } from '../domain/task-queues';
import { withWorkerNodeOptions } from '../workers/node-options';
import type { BenchStack } from './bench-stack';
import { type ActionTally, tallyWorkflowChain } from './history-actions';
import { startNodeChild, untilReady } from './node-child';
import { type SandboxSms, sandboxApi } from './sandbox-api';
import { benchPhone, seedOrganization } from './seed';
import { type LostReplyTrace, type ReplyPosts, replyPosts, traceLostReplies } from './survey-trace';
import { waitForPollers } from './worker-ready';

/** Figures of the monitoring-survey phase (README, "Monitoring surveys"). */
export interface SurveyPhaseResult {
  respondents: number;
  replyRate: number;
  replies: number;
  /** From posting a reply to the sandbox's inbound webhook to the provider accepting the next question (ms). */
  latencyMs: { p50: number; p95: number; max: number };
  /** Survey workflow actions (signals, activities, timers, starts) per answered question. */
  actionsPerAnswer: number;
  /** The campaign workflow's actions for the first question's fan-out, per 1,000 respondents. */
  fanOutActionsPer1k: number;
  surveyActions: ActionTally;
  fanOutActions: ActionTally;
  answersStored: number;
  /** How the replies' posts to /sandbox/inbound ended: the sandbox's answer, then the API webhook's answer. */
  posts: ReplyPosts;
  /** Why the replies whose next message never came were lost (bench/survey-trace.ts). */
  trace: LostReplyTrace;
  /** Replies whose next message never came, and messages beyond the four each respondent should get. */
  lost: number;
  duplicates: number;
  elapsedS: number;
}

const bi = (en: string, km: string) => ({ en, km });
const SURVEY = {
  questions: [
    {
      key: 'released',
      type: 'choice',
      prompt: bi('Were defenders released in your province?', 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?'),
      choices: [
        { key: 'yes', label: bi('Yes', 'បាទ/ចាស') },
        { key: 'no', label: bi('No', 'ទេ') },
      ],
    },
    { key: 'count', type: 'number', min: 0, max: 1000, prompt: bi('How many?', 'ប៉ុន្មាននាក់?') },
    { key: 'report', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?') },
  ],
};
// Each respondent's replies in turn, typed as supporters do (Khmer digits for every other one).
const REPLIES = [
  (i: number) => (i % 2 ? '1' : '១'),
  (i: number) => (i % 2 ? '12' : '១២'),
  () => 'Two were released',
];

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * A survey of three questions to `respondents` seeded supporters: the first question as a stage,
 * then every respondent answers each question through the sandbox's /sandbox/inbound (signed
 * webhooks to the API) at `replyRate` per second, each as soon as their previous question arrived.
 */
export async function runSurveyPhase(
  b: BenchStack,
  opts: { respondents: number; replyRate: number; log: (line: string) => void },
): Promise<SurveyPhaseResult> {
  const n = opts.respondents;
  const sandbox = sandboxApi(b.sandboxUrl);
  await sandbox.reset();
  await sandbox.clearFaults();
  const workers = startNodeChild({
    name: 'workers (survey)',
    entry: b.workerEntry,
    env: withWorkerNodeOptions(
      b.childEnv({
        SMS_RATE_PER_SEC: '100000',
        WORKER_ROLES: 'orchestrator,sms,email',
        SURVEY_SWEEP_SECONDS: '5',
      }),
    ),
    logFile: b.logFile('workers-survey'),
    nodeArgs: b.nodeArgs('workers-survey'),
  });
  try {
    const [org] = await Promise.all([
      seedOrganization(b.stack.sql, 'bench survey', n),
      untilReady(
        workers,
        waitForPollers(b.temporal, workers.pid, [
          { name: TASK_QUEUES.orchestrator, kind: 'workflow' },
          { name: TASK_QUEUES.survey, kind: 'activity' },
        ]),
      ),
    ]);
    const res = await fetch(`${b.apiUrl}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'monitoring',
        title: 'bench survey',
        survey: SURVEY,
        options: { quietHours: false },
      }),
    });
    const created = (await res.json()) as { id?: string; workflowId?: string };
    if (res.status !== 201 || !created.id) throw new Error(`POST /v1/campaigns answered ${res.status}`);
    const started = Date.now();
    const counts = new Map<string, number>();
    const acceptedAt = new Map<string, number[]>();
    // Reads only what the sandbox accepted since the last poll: at 10,000 respondents the whole
    // list (40,000 messages a second) cost the harness and the sandbox more than the service.
    let cursor = 0;
    const refresh = async () => {
      const page = await sandbox.smsMessagesSince(cursor);
      cursor = page.next;
      const items: SandboxSms[] = page.items;
      for (const m of items) {
        counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
        const list = acceptedAt.get(m.to) ?? [];
        list.push(Date.parse(m.acceptedAt));
        acceptedAt.set(m.to, list);
      }
    };
    for (;;) {
      await refresh();
      if (counts.size >= n) break;
      if (Date.now() - started > 600_000) throw new Error(`first question reached ${counts.size} of ${n}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    opts.log(`survey: first question accepted by ${n} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // step[i]: replies posted by respondent i; postedAt[i]: when the last one was posted.
    const step = new Array<number>(n + 1).fill(0);
    const postedAt = new Array<number>(n + 1).fill(0);
    const latencies: number[] = [];
    const posts = replyPosts();
    let ready = Array.from({ length: n }, (_, k) => k + 1);
    const total = n * REPLIES.length;
    let posted = 0;
    const replyStart = Date.now();
    const interval = 1000 / opts.replyRate;
    let lastProgress = Date.now();
    while (latencies.length < total) {
      if (Date.now() - lastProgress > 120_000) break;
      // Whoever got their next message is ready to answer it.
      await refresh();
      for (let i = 1; i <= n; i++) {
        const s = step[i]!;
        if (s === 0 || postedAt[i] === 0) continue;
        const times = acceptedAt.get(benchPhone(i)) ?? [];
        if (times.length > s) {
          latencies.push(Math.max(0, times[s]! - postedAt[i]!));
          postedAt[i] = 0;
          lastProgress = Date.now();
          if (s < REPLIES.length) ready.push(i);
        }
      }
      // Post replies at the rate until the next refresh.
      const until = Date.now() + 1000;
      const batch = ready;
      ready = [];
      for (const i of batch) {
        if (Date.now() >= until) {
          ready.push(i);
          continue;
        }
        const due = replyStart + posted * interval;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const body = REPLIES[step[i]!]!(i);
        postedAt[i] = Date.now();
        step[i] = step[i]! + 1;
        posted++;
        // Not awaited: replies go out at the rate whatever the API's answer time.
        posts.post(b.sandboxUrl, benchPhone(i), body);
      }
      if (batch.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const elapsedS = (Date.now() - replyStart) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    await posts.settled();
    await refresh();
    const stuck: string[] = [];
    for (let i = 1; i <= n; i++)
      if (step[i]! > 0 && (acceptedAt.get(benchPhone(i))?.length ?? 0) <= step[i]!) stuck.push(benchPhone(i));
    const trace = await traceLostReplies(b.stack.sql, created.id, stuck);
    if (trace.respondents > 0) opts.log(`survey: lost replies ${JSON.stringify(trace)}`);
    let duplicates = 0;
    for (let i = 1; i <= n; i++)
      duplicates += Math.max(0, (counts.get(benchPhone(i)) ?? 0) - (1 + REPLIES.length));
    const [stored] = await b.stack.sql<{ n: number }[]>`
      select count(*)::int as n from survey_answers where campaign_id = ${created.id}`;
    const surveyChain = await tallyWorkflowChain(b.temporal, `survey-${created.id}`);
    const fanOut = await tallyWorkflowChain(b.temporal, created.workflowId!);
    const sorted = [...latencies].sort((x, y) => x - y);
    return {
      respondents: n,
      replyRate: opts.replyRate,
      replies: posted,
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted[sorted.length - 1] ?? 0,
      },
      actionsPerAnswer: surveyChain.tally.total / Math.max(1, stored?.n ?? 0),
      fanOutActionsPer1k: fanOut.tally.total / (n / 1000),
      surveyActions: surveyChain.tally,
      fanOutActions: fanOut.tally,
      answersStored: stored?.n ?? 0,
      posts: posts.counts,
      trace,
      lost: total - latencies.length,
      duplicates,
      elapsedS,
    };
  } finally {
    await workers.stop();
  }
}
