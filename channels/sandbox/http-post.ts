import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * Kept-alive connections: a provider posts thousands of callbacks to the same API. node:http costs a
 * fraction of fetch's CPU per request, and the sandbox shares the machine with the service.
 */
export function keepAliveAgents() {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  return {
    for: (url: URL) => (url.protocol === 'https:' ? agents.https : agents.http),
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
export type KeepAliveAgents = ReturnType<typeof keepAliveAgents>;

/** One POST; rejects on a network error, on `signal` or after `timeoutMs` without an answer. */
export function post(
  url: string,
  opts: {
    agents: KeepAliveAgents;
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    signal: AbortSignal;
  },
): Promise<PostAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: opts.agents.for(target),
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        signal: opts.signal,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
