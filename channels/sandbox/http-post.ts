import { Agent } from 'undici';

export interface PostAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * Kept-alive connections: a provider posts thousands of callbacks to the same API. Through undici's
 * Agent a callback costs the sandbox about two thirds of the CPU it did through node:http (0.23
 * against 0.33 ms, signing included: `npm run bench:callbacks`), and the sandbox shares the machine
 * with the service it measures.
 */
export function keepAliveAgents() {
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  return {
    agent,
    /** Ends every connection; posts in flight reject. */
    async destroy(): Promise<void> {
      await agent.destroy();
    },
  };
}
export type KeepAliveAgents = ReturnType<typeof keepAliveAgents>;

/**
 * One POST; rejects on a network error, after `timeoutMs` without the answer's headers or between
 * parts of its body, or when the agents are destroyed.
 */
export async function post(
  url: string,
  opts: { agents: KeepAliveAgents; headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<PostAnswer> {
  const target = new URL(url);
  const res = await opts.agents.agent.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: 'POST',
    headers: opts.headers,
    body: opts.body,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const contentType = res.headers['content-type'];
  return {
    status: res.statusCode,
    contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? null,
    body: await res.body.text(),
  };
}
