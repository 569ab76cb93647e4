import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import type { ChaosStack } from './stack';

export interface Shot {
  url: string;
  init: RequestInit;
  /** What a correct service answers: refused for a bad signature, accepted otherwise. */
  expect: 'refused' | 'accepted';
  replay: boolean;
}

export interface FloodReport {
  scenario: string;
  requests: number;
  p99_ms: number;
  server_errors: number;
  bad_signatures: number;
  bad_signatures_refused: number;
  replays: number;
  unexpected_answers: number;
  second_effects: number;
  /** Answers other than the expected ones, by HTTP status ("0": no answer, the connection failed). */
  unexpected_statuses?: Record<string, number>;
  notes?: string;
}

/** Fires shots with a bounded number in flight; returns latencies and statuses in order. */
export async function fire(shots: Shot[], inFlight: number) {
  const results: Array<{ status: number; ms: number }> = new Array(shots.length);
  let next = 0;
  const lane = async () => {
    while (next < shots.length) {
      const i = next++;
      const shot = shots[i]!;
      const t = performance.now();
      let status = 0;
      try {
        const res = await fetch(shot.url, shot.init);
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // status 0: the connection failed, counted with the server errors
      }
      results[i] = { status, ms: performance.now() - t };
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return results;
}

export const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! * 10) / 10;
};

function summarize(
  scenario: string,
  shots: Shot[],
  results: Array<{ status: number; ms: number }>,
): FloodReport {
  const ok = (s: number) => s >= 200 && s < 300;
  let refused = 0;
  let unexpected = 0;
  const unexpectedStatuses: Record<string, number> = {};
  results.forEach((r, i) => {
    const shot = shots[i]!;
    if (shot.expect === 'refused' && (r.status === 401 || r.status === 403)) refused++;
    else if (shot.expect === 'accepted' && ok(r.status)) {
      /* as expected */
    } else {
      unexpected++;
      const key = `${shot.expect}${shot.replay ? ' replay' : ''}: ${r.status}`;
      unexpectedStatuses[key] = (unexpectedStatuses[key] ?? 0) + 1;
    }
  });
  return {
    scenario,
    requests: shots.length,
    p99_ms: p99(results.map((r) => r.ms)),
    server_errors: results.filter((r) => r.status >= 500 || r.status === 0).length,
    bad_signatures: shots.filter((s) => s.expect === 'refused').length,
    bad_signatures_refused: refused,
    replays: shots.filter((s) => s.replay).length,
    unexpected_answers: unexpected,
    second_effects: 0,
    ...(unexpected > 0 ? { unexpected_statuses: unexpectedStatuses } : {}),
  };
}

/** 20,000 signed Twilio status callbacks for real deliveries: 10% replays, 10% forged. */
export async function twilioCallbackFlood(stack: ChaosStack, count = 20_000): Promise<FloodReport> {
  const sids = (
    await stack.sql<
      { provider_id: string }[]
    >`select provider_id from deliveries where provider_id like 'SM%' limit 5000`
  ).map((r) => r.provider_id);
  if (sids.length === 0)
    throw new Error('no deliveries to send status callbacks for: run a delivery scenario first');
  const url = `${stack.apiUrl}/v1/webhooks/twilio/status`;
  const shots: Shot[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 3 && shots.length > 0) {
      shots.push({ ...shots[shots.length - 1]!, replay: true });
      continue;
    }
    const params = {
      MessageSid: sids[i % sids.length]!,
      MessageStatus: i % 2 === 0 ? 'sent' : 'delivered',
      AccountSid: stack.secrets.twilioAccountSid,
    };
    const forged = i % 10 === 7;
    const signature = forged
      ? twilio.getExpectedTwilioSignature('not-the-token', url, params)
      : twilio.getExpectedTwilioSignature(stack.secrets.twilioAuthToken, url, params);
    shots.push({
      url,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      },
      expect: forged ? 'refused' : 'accepted',
      replay: false,
    });
  }
  const before = await stack.sql<
    { status: string; n: number }[]
  >`select status, count(*)::int as n from deliveries group by 1`;
  const results = await fire(shots, 64);
  const after = await stack.sql<
    { status: string; n: number }[]
  >`select status, count(*)::int as n from deliveries group by 1`;
  const report = summarize('flood-twilio-status', shots, results);
  const rows = (xs: typeof before) => xs.reduce((n, r) => n + r.n, 0);
  return {
    ...report,
    notes: `deliveries ${rows(before)} before, ${rows(after)} after (a callback never creates rows)`,
  };
}

/** 2,000 partner webhooks (supporter.upsert): 10% replays of an earlier id, 10% forged. */
export async function partnerWebhookFlood(stack: ChaosStack, count = 2_000): Promise<FloodReport> {
  const url = `${stack.apiUrl}/v1/webhooks/partners/${stack.partner.id}`;
  const signer = new Webhook(stack.partner.secret);
  const forger = new Webhook(`whsec_${Buffer.from(randomUUID()).toString('base64')}`);
  const shots: Shot[] = [];
  let unique = 0;
  for (let i = 0; i < count; i++) {
    if (i % 10 === 3 && shots.length > 0) {
      shots.push({ ...shots[shots.length - 1]!, replay: true });
      continue;
    }
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      type: 'supporter.upsert',
      data: {
        phone: `+1617${String(5_000_000 + i).padStart(7, '0')}`,
        tags: ['flood'],
        consent: { sms: true },
      },
    });
    const now = new Date();
    const forged = i % 10 === 7;
    const signature = (forged ? forger : signer).sign(id, now, body);
    if (!forged) unique++;
    shots.push({
      url,
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
      },
      expect: forged ? 'refused' : 'accepted',
      replay: false,
    });
  }
  const results = await fire(shots, 32);
  const [row] = await stack.sql<{ n: number }[]>`
    select count(*)::int as n from supporters where org_id = ${stack.orgId} and 'flood' = any(tags)`;
  const report = summarize('flood-partner-webhooks', shots, results);
  const created = row?.n ?? 0;
  return {
    ...report,
    second_effects: Math.max(0, created - unique),
    notes: `${unique} distinct signed webhooks created ${created} supporters`,
  };
}
