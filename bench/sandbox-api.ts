/** The sandbox's control routes, as the harness uses them. */
export interface SandboxStats {
  accepted: number;
  rejected429: number;
  rejected5xx: number;
  rejectedPermanent: number;
  callbackFailures: number;
  callbacksDelivered: number;
  maxPerRecipientPerBody: number;
}

export interface SandboxSms {
  id: string;
  to: string;
  body: string | null;
  acceptedAt: string;
}

export function sandboxApi(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const send = () =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // A harness poll that meets a reset connection on a saturated machine asks again (GETs only).
    let res: Response | undefined;
    for (let attempt = 1; !res; attempt++) {
      res = await send().catch((err: unknown) => {
        if (method !== 'GET' || attempt >= 4) throw err;
        return new Promise<undefined>((r) => setTimeout(() => r(undefined), 250 * attempt));
      });
    }
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    stats: async () => (await call('GET', '/sandbox/stats')) as SandboxStats,
    smsMessages: async () =>
      ((await call('GET', '/sandbox/messages?channel=sms')) as { items: SandboxSms[] }).items,
    /** SMS accepted since `after` (a `next` from the previous call; 0 at first), and the new `next`. */
    smsMessagesSince: async (after: number) =>
      (await call('GET', `/sandbox/messages?channel=sms&after=${after}`)) as {
        items: SandboxSms[];
        next: number;
      },
    /** Drops messages, counters and pending status callbacks. */
    reset: () => call('DELETE', '/sandbox/messages'),
    limitRate: (perSec: number) => call('PUT', '/sandbox/faults', { rateLimitPerSec: perSec }),
    clearFaults: () => call('DELETE', '/sandbox/faults'),
  };
}

export type SandboxApi = ReturnType<typeof sandboxApi>;

export interface AcceptSummary {
  accepted: number;
  /** Messages beyond the first per recipient. */
  duplicates: number;
  /** Expected recipients with no message. */
  missing: number;
  /** Messages to numbers outside the expected set. */
  unexpected: number;
  firstAcceptMs: number | null;
  lastAcceptMs: number | null;
}

/** Per-recipient counts and accept times of the messages the sandbox holds (cleared before each run). */
export function summarizeAccepts(messages: SandboxSms[], expected: (i: number) => string, n: number) {
  const wanted = new Set<string>();
  for (let i = 1; i <= n; i++) wanted.add(expected(i));
  const perRecipient = new Map<string, number>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let unexpected = 0;
  for (const m of messages) {
    if (!wanted.has(m.to)) {
      unexpected++;
      continue;
    }
    perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    const at = Date.parse(m.acceptedAt);
    first = Math.min(first, at);
    last = Math.max(last, at);
  }
  let duplicates = 0;
  for (const count of perRecipient.values()) duplicates += count - 1;
  return {
    accepted: messages.length - unexpected,
    duplicates,
    missing: n - perRecipient.size,
    unexpected,
    firstAcceptMs: Number.isFinite(first) ? first : null,
    lastAcceptMs: Number.isFinite(last) ? last : null,
  } satisfies AcceptSummary;
}
