// Waiting for a Temporal frontend to answer: the dev server and the cluster both start one.
import { Connection } from '@temporalio/client';

/**
 * Resolves once the frontend at `address` (host:port) answers GetSystemInfo, polling every
 * `pollMs`. Fails early when `dead()` names a reason (a service process that exited), and after
 * `timeoutMs` with an Error naming `what`, the address and the last connection error's last line.
 */
export async function waitForFrontend(
  address: string,
  timeoutMs: number,
  opts: { what: string; dead?: () => string | null; pollMs?: number; hint?: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const why = opts.dead?.();
    if (why) throw new Error(why);
    try {
      const conn = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  }
  const lastLine =
    String(last ?? '')
      .trim()
      .split('\n')
      .pop()
      ?.slice(0, 300) || 'no answer';
  throw new Error(
    `${opts.what} did not answer on ${address} within ${timeoutMs / 1000} s (${lastLine})${opts.hint ? `; ${opts.hint}` : ''}`,
  );
}
