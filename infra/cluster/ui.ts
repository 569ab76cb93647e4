/**
 * Config of the Temporal Web UI server (github.com/temporalio/ui-server, the one the CLI embeds),
 * as JSON for its `development.yaml`: served on loopback `port`, talking gRPC to `address`, with the
 * service's codec endpoint (decrypting payloads in the browser) when given.
 */
export function uiConfig(opts: {
  address: string;
  port: number;
  namespace: string;
  codecEndpoint?: string | undefined;
}): Record<string, unknown> {
  return {
    temporalGrpcAddress: opts.address,
    host: '127.0.0.1',
    port: opts.port,
    enableUi: true,
    defaultNamespace: opts.namespace,
    showTemporalSystemNamespace: false,
    notifyOnNewVersion: false,
    cors: { cookieInsecure: true, allowOrigins: [`http://127.0.0.1:${opts.port}`] },
    ...(opts.codecEndpoint ? { codec: { endpoint: opts.codecEndpoint } } : {}),
  };
}

/** Resolves once `url` answers 2xx; throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 2xx within ${timeoutMs / 1000} s`);
}
