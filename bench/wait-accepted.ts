import type { SandboxApi } from './sandbox-api';

/**
 * Polls the sandbox until it has accepted `n` SMS, logging progress every 5 s; fails after
 * `stallMs` without a new accept (bounded: a stuck run ends the phase instead of hanging).
 */
export async function waitForAccepted(
  sandbox: SandboxApi,
  n: number,
  opts: { label: string; log: (line: string) => void; stallMs: number; everyMs?: number },
): Promise<void> {
  let seen = -1;
  let movedAt = Date.now();
  let loggedAt = Date.now();
  for (;;) {
    const { accepted } = await sandbox.stats();
    if (accepted >= n) return;
    const now = Date.now();
    if (accepted !== seen) {
      seen = accepted;
      movedAt = now;
    } else if (now - movedAt > opts.stallMs) {
      throw new Error(`${opts.label}: stuck at ${accepted}/${n} accepted for ${opts.stallMs / 1000} s`);
    }
    if (now - loggedAt >= 5000) {
      opts.log(`${opts.label}: ${accepted}/${n} accepted`);
      loggedAt = now;
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 250));
  }
}
