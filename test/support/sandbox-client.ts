/** Reads and steers the provider sandbox over its HTTP control routes, as an operator would. */
export function sandboxClient(url: string) {
  // biome-ignore lint/suspicious/noExplicitAny: control answers are read field by field below
  const call = async (path: string, init?: RequestInit): Promise<any> => {
    const res = await fetch(`${url}${path}`, init);
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    messages: async (q: { channel?: 'sms' | 'email'; to?: string } = {}) => {
      const params = new URLSearchParams(
        Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][],
      );
      return (await call(`/sandbox/messages?${params}`)).items as Array<{
        id: string;
        channel: string;
        to: string;
        from?: string;
        replyTo?: string | null;
        body?: string;
        subject?: string;
        html?: string;
        text?: string;
        headers?: Record<string, string>;
        segments?: number;
      }>;
    },
    stats: async () =>
      (await call('/sandbox/stats')) as {
        accepted: number;
        maxPerRecipientPerBody: number;
        rejected429: number;
        rejected5xx: number;
      },
    setFaults: (faults: Record<string, unknown>) =>
      call('/sandbox/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      }),
    clearFaults: () => call('/sandbox/faults', { method: 'DELETE' }),
    inbound: async (from: string, body: string) =>
      (await call('/sandbox/inbound', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, body }),
      })) as { status: number; contentType: string; body: string },
  };
}

export async function eventually<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
}
