import twilio from 'twilio';
import type { ClusterChaos } from './cluster-chaos';
import { fire, p99, type Shot } from './flood';
import { type ScenarioReport, statusesPending } from './measure';
import { reach, underFire } from './scenarios';
import type { ChaosStack } from './stack';

// Faults that exist only on the production-shaped cluster (`npm run chaos -- --cluster`): a Temporal
// service process dying, one of two worker processes dying, PostgreSQL crashing, an API replica dying.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function clusterOf(stack: ChaosStack): ClusterChaos {
  if (!stack.cluster) throw new Error('this scenario needs the cluster: npm run chaos -- --cluster');
  return stack.cluster;
}

/** SIGKILL of the history service at 30% of the stage; started again 3 s later. */
export async function historySigkill(stack: ChaosStack, recipients: number): Promise<ScenarioReport> {
  const c = clusterOf(stack).stack.cluster;
  return underFire(stack, 'history-sigkill', recipients, async (progress) => {
    await reach(progress, 0.3);
    const pid = c.services.history.pid;
    await c.services.history.kill('SIGKILL');
    await sleep(3_000);
    const restarted = Date.now();
    await c.restartService('history');
    return `history (pid ${pid}) SIGKILLed at 30%, started again after 3 s; workflows started again ${Math.round((Date.now() - restarted) / 100) / 10} s later`;
  });
}

/** SIGKILL of worker-1 at 30%, left down: worker-2 alone finishes the stage. worker-1 comes back afterwards. */
export async function oneOfTwoWorkersSigkill(stack: ChaosStack, recipients: number): Promise<ScenarioReport> {
  const s = clusterOf(stack).stack;
  const [w1, w2] = s.workers;
  if (!w1 || !w2) throw new Error('the cluster runs fewer than two worker processes');
  try {
    return await underFire(stack, 'worker-one-of-two', recipients, async (progress) => {
      await reach(progress, 0.3);
      w1.autoRestart = false;
      const pid = w1.pid;
      await w1.kill('SIGKILL');
      return `${w1.name} (pid ${pid}) SIGKILLed at 30% and not restarted; ${w2.name} (pid ${w2.pid}) finished the stage`;
    });
  } finally {
    w1.autoRestart = true;
    w1.start();
  }
}

/** SIGKILL of the PostgreSQL postmaster at 30% (no shutdown checkpoint); started 3 s later, replaying its WAL. */
export async function postgresSigkill(stack: ChaosStack, recipients: number): Promise<ScenarioReport> {
  const s = clusterOf(stack).stack;
  return underFire(stack, 'postgres-sigkill', recipients, async (progress) => {
    await reach(progress, 0.3);
    const pid = s.pgPid();
    await s.crashPostgres();
    await sleep(3_000);
    await s.startPostgres();
    const [row] = await s.sql<{ recovered: boolean }[]>`
      select pg_postmaster_start_time() > now() - interval '5 minutes' as recovered`;
    return `PostgreSQL postmaster (pid ${pid}) SIGKILLed at 30% while serving the service and Temporal, started again after 3 s (crash recovery${row?.recovered ? '' : ' not confirmed'})`;
  });
}

export interface ApiKillReport extends ScenarioReport {
  flood_requests: number;
  /** Answers of the surviving process (and of the killed one before its death) that were 5xx. */
  flood_server_errors: number;
  /** Posts to the killed process after its death: connection refused (a load balancer would route them to the survivor). */
  flood_refused_by_killed: number;
  flood_unexpected_answers: number;
  bad_signatures: number;
  bad_signatures_refused: number;
  flood_p99_ms: number;
  /** Deliveries of the stage still `accepted`/`sent` though the provider reached a final status. */
  statuses_pending: number;
}

/**
 * A stage runs while 20,000 signed Twilio status callbacks (10% forged) go round-robin to the two
 * API processes; api-2 is SIGKILLed after a quarter of them and stays down for the rest of the
 * flood. api-1 must keep answering (no 5xx). Status callbacks the sandbox posted to api-2 after its
 * death are lost: `statuses_pending` counts the stage's deliveries they left behind, after waiting up
 * to `reconcileWaitS` for a reconciliation (issue 17, part 4) to heal them.
 */
export async function apiSigkillDuringFlood(
  stack: ChaosStack,
  recipients: number,
  opts: { count?: number; reconcileWaitS: number },
): Promise<ApiKillReport> {
  const s = clusterOf(stack).stack;
  const [survivor, victim] = s.apis;
  const [survivorUrl, victimUrl] = s.apiUrls;
  if (!survivor || !victim || !survivorUrl || !victimUrl)
    throw new Error('the cluster runs fewer than two API processes');
  const count = opts.count ?? 20_000;
  let flood: FloodOutcome | undefined;
  try {
    const report = await underFire(stack, 'api-sigkill-flood', recipients, async (progress) => {
      await reach(progress, 0.1);
      flood = await splitFlood(stack, [survivorUrl, victimUrl], count, async () => {
        victim.autoRestart = false;
        await victim.kill('SIGKILL');
      });
      return `${victim.name} SIGKILLed after ${Math.round(count / 4)} of ${count} callbacks; ${survivor.name} answered the rest`;
    });
    const [campaign] = await s.sql<{ id: string }[]>`
      select id from campaigns where title = 'chaos api-sigkill-flood' order by created_at desc limit 1`;
    const pending = campaign ? await statusesPending(stack, campaign.id, opts.reconcileWaitS) : -1;
    const f = flood as FloodOutcome;
    return {
      ...report,
      server_errors: report.server_errors + f.serverErrors,
      flood_requests: count,
      flood_server_errors: f.serverErrors,
      flood_refused_by_killed: f.refusedByKilled,
      flood_unexpected_answers: f.unexpected,
      bad_signatures: f.forged,
      bad_signatures_refused: f.forgedRefused,
      flood_p99_ms: f.p99Ms,
      statuses_pending: pending,
      notes: [
        report.notes,
        pending > 0
          ? `${pending} statuses still accepted/sent after ${opts.reconcileWaitS} s: callbacks lost with ${victim.name}, left to the reconciliation Schedule`
          : 'every delivery reached its final status',
      ]
        .filter(Boolean)
        .join('; '),
    };
  } finally {
    victim.autoRestart = true;
    victim.start();
    await waitForHealth(`${victimUrl}/healthz`, 60_000);
  }
}

interface FloodOutcome {
  serverErrors: number;
  refusedByKilled: number;
  unexpected: number;
  forged: number;
  forgedRefused: number;
  p99Ms: number;
}

/** Fires `count` status callbacks alternately at the two URLs; `kill` runs after the first quarter. */
async function splitFlood(
  stack: ChaosStack,
  [survivorUrl, victimUrl]: [string, string],
  count: number,
  kill: () => Promise<void>,
): Promise<FloodOutcome> {
  // Messages of earlier scenarios: a made-up status for this stage's own messages would hide a lost one.
  const sids = (
    await stack.sql<{ provider_id: string }[]>`
      select d.provider_id from deliveries d join stage_runs r on r.id = d.stage_run_id
        join campaigns c on c.id = r.campaign_id
      where d.provider_id like 'SM%' and c.title <> 'chaos api-sigkill-flood' limit 5000`
  ).map((r) => r.provider_id);
  if (sids.length === 0)
    throw new Error('no deliveries to send status callbacks for: run a delivery scenario first');
  // Twilio signs over the public URL; both processes check against it.
  const signedUrl = `${stack.apiUrl}/v1/webhooks/twilio/status`;
  const shots: Array<Shot & { victim: boolean }> = [];
  for (let i = 0; i < count; i++) {
    const params = {
      MessageSid: sids[i % sids.length] as string,
      MessageStatus: i % 2 === 0 ? 'sent' : 'delivered',
      AccountSid: stack.secrets.twilioAccountSid,
    };
    const forged = i % 10 === 7;
    const signature = twilio.getExpectedTwilioSignature(
      forged ? 'not-the-token' : stack.secrets.twilioAuthToken,
      signedUrl,
      params,
    );
    const victim = i % 2 === 1;
    shots.push({
      url: `${victim ? victimUrl : survivorUrl}/v1/webhooks/twilio/status`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      },
      expect: forged ? 'refused' : 'accepted',
      replay: false,
      victim,
    });
  }
  const quarter = Math.floor(count / 4);
  const before = await fire(shots.slice(0, quarter), 64);
  await kill();
  const after = await fire(shots.slice(quarter), 64);
  const results = [...before, ...after];
  let serverErrors = 0;
  let refusedByKilled = 0;
  let unexpected = 0;
  let forgedRefused = 0;
  const answeredMs: number[] = [];
  results.forEach((r, i) => {
    const shot = shots[i] as (typeof shots)[number];
    if (r.status === 0 && shot.victim && i >= quarter) {
      refusedByKilled++;
      return;
    }
    answeredMs.push(r.ms);
    if (r.status >= 500 || r.status === 0) serverErrors++;
    else if (shot.expect === 'refused' && (r.status === 401 || r.status === 403)) forgedRefused++;
    else if (!(shot.expect === 'accepted' && r.status >= 200 && r.status < 300)) unexpected++;
  });
  const answeredForged = shots.filter((s, i) => s.expect === 'refused' && !(s.victim && i >= quarter)).length;
  return {
    serverErrors,
    refusedByKilled,
    unexpected,
    forged: answeredForged,
    forgedRefused,
    p99Ms: answeredMs.length ? p99(answeredMs) : 0,
  };
}

/** Deliveries of the campaign the provider settled but the database still shows `accepted`/`sent`. */
async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}
