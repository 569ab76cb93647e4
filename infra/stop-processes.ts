import { isSameProcess, type TrackedProcess } from './process-identity';

/** Those of `procs` that still run (a group counts while its leader runs). */
export function stillRunning(procs: TrackedProcess[]): TrackedProcess[] {
  return procs.filter((p) => isSameProcess(p.pid, p.start));
}

/**
 * Asks each process (or its group) to stop with its own signal, waits up to `graceMs`, then
 * SIGKILLs what is left and waits up to `killWaitMs` more. Returns what still runs after that
 * (normally nothing; a process of another user cannot be signalled).
 */
export async function stopProcesses(
  procs: TrackedProcess[],
  opts: { graceMs?: number; killWaitMs?: number } = {},
): Promise<TrackedProcess[]> {
  const alive = stillRunning(procs);
  for (const p of alive) signal(p, p.signal);
  let left = await waitUntilGone(alive, opts.graceMs ?? 5_000);
  // A group's members may outlive its leader: every group that was alive gets the SIGKILL.
  for (const p of alive) if (p.group || left.includes(p)) signal(p, 'SIGKILL');
  left = await waitUntilGone(left, opts.killWaitMs ?? 3_000);
  return left;
}

function signal(p: TrackedProcess, sig: NodeJS.Signals) {
  if (p.group) {
    try {
      process.kill(-p.pid, sig);
      return;
    } catch {}
  }
  // Never a bare pid that may since belong to someone else.
  if (isSameProcess(p.pid, p.start)) {
    try {
      process.kill(p.pid, sig);
    } catch {}
  }
}

function waitUntilGone(procs: TrackedProcess[], ms: number): Promise<TrackedProcess[]> {
  return pollUntilEmpty(() => stillRunning(procs), ms);
}

/** Calls `probe` every 100 ms until it returns nothing or `ms` have passed; returns its last answer. */
export async function pollUntilEmpty<T>(probe: () => T[], ms: number): Promise<T[]> {
  const deadline = Date.now() + ms;
  let left = probe();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = probe();
  }
  return left;
}
