import type { ChaosStack } from './stack';

export interface ScenarioReport {
  scenario: string;
  delivered: number;
  duplicates: number;
  missing: number;
  permanent_failures_recorded: number;
  server_errors: number;
  /** 503 answers while a dependency was down (webhooks the provider may retry). */
  unavailable_503: number;
  elapsed_s: number;
  notes?: string;
}

export async function sandboxCall<T = unknown>(
  stack: ChaosStack,
  path: string,
  init?: RequestInit,
): Promise<T> {
  const res = await fetch(`${stack.sandboxUrl}${path}`, init);
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const setFaults = (stack: ChaosStack, faults: Record<string, unknown>) =>
  sandboxCall(stack, '/sandbox/faults', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });

export async function api(stack: ChaosStack, path: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** Launches a one-stage SMS campaign to every seeded supporter; the marker tells its messages apart. */
export async function launch(stack: ChaosStack, marker: string): Promise<string> {
  const res = await api(stack, '/v1/campaigns', {
    kind: 'custom',
    title: `chaos ${marker}`,
    audience: { tags: { include: ['chaos'] } },
    content: { en: { sms: `[${marker}] Act now {{actionUrl}}` } },
    stages: [{ key: 'alert', at: { after: 'PT0S' }, channel: 'sms' }],
    options: { quietHours: false },
  });
  if (res.status !== 201) throw new Error(`launch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Messages the sandbox accepted for this marker, per recipient. */
export async function acceptedByRecipient(stack: ChaosStack, marker: string): Promise<Map<string, number>> {
  const { items } = await sandboxCall<{ items: Array<{ to: string; body?: string }> }>(
    stack,
    '/sandbox/messages?channel=sms',
  );
  const counts = new Map<string, number>();
  for (const m of items) if (m.body?.startsWith(`[${marker}]`)) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
}

export async function waitForCompletion(stack: ChaosStack, campaignId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api(stack, `/v1/campaigns/${campaignId}`).catch(() => undefined);
    if (res?.body?.status === 'completed') return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

export async function report(
  stack: ChaosStack,
  scenario: string,
  campaignId: string,
  recipients: number,
  started: number,
  before: { count: number; unavailable: number },
): Promise<ScenarioReport> {
  await stack.cluster?.refreshErrors();
  const counts = await acceptedByRecipient(stack, scenario);
  const [failed] = await stack.sql<{ n: number }[]>`
    select count(distinct d.supporter_id)::int as n from deliveries d join stage_runs r on r.id = d.stage_run_id
    where r.campaign_id = ${campaignId} and d.status in ('failed', 'undelivered')
      and not exists (select 1 from deliveries d2 where d2.stage_run_id = d.stage_run_id
        and d2.supporter_id = d.supporter_id and d2.status in ('accepted', 'sent', 'delivered'))`;
  const delivered = counts.size;
  const duplicates = [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  const permanent = failed?.n ?? 0;
  return {
    scenario,
    delivered,
    duplicates,
    missing: Math.max(0, recipients - delivered - permanent),
    permanent_failures_recorded: permanent,
    server_errors: stack.serverErrors.count - before.count,
    unavailable_503: stack.serverErrors.unavailable - before.unavailable,
    elapsed_s: Math.round((Date.now() - started) / 100) / 10,
  };
}

/**
 * The campaign's deliveries still `accepted` or `sent` (their final status callback not applied),
 * polled every 2 s until none are left or `waitS` seconds have passed: what the reconciliation
 * Schedule (activities/reconcile.ts) has not healed yet.
 */
export async function statusesPending(stack: ChaosStack, campaignId: string, waitS: number): Promise<number> {
  const deadline = Date.now() + waitS * 1000;
  for (;;) {
    const [row] = await stack.sql<{ n: number }[]>`
      select count(*)::int as n from deliveries d join stage_runs r on r.id = d.stage_run_id
      where r.campaign_id = ${campaignId} and d.status in ('accepted', 'sent')`;
    const n = row?.n ?? 0;
    if (n === 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
