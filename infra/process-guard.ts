import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TrackedProcess, trackedProcess } from './process-identity';

export interface ProcessGuard {
  /** The reaper itself, for the lock file (a later start stops it too if it is ever left over). */
  reaper: TrackedProcess;
  /** From now on `p` is stopped when this process ends, however it ends. */
  track(p: TrackedProcess): void;
  /** Orderly end: the reaper stops what still runs (normally nothing) and exits. */
  close(): void;
}

const REAPER = fileURLToPath(new URL('./orphan-reaper.ts', import.meta.url));
// `--import tsx` resolves from the working directory: the project root, where node_modules is.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts the orphan reaper (infra/orphan-reaper.ts) with a pipe from this process as its stdin:
 * the kernel closes that pipe when this process dies, even by SIGKILL, and the reaper then stops
 * every tracked process. Its log goes to `<logDir>/reaper.log`.
 */
export function startProcessGuard(logDir: string): ProcessGuard {
  const out = openSync(join(logDir, 'reaper.log'), 'a');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', REAPER], {
    cwd: ROOT,
    stdio: ['pipe', out, out],
    // Its own session: no terminal signals, not in the supervisor's process group.
    detached: true,
  });
  closeSync(out);
  if (!child.pid || !child.stdin) throw new Error('could not start the orphan reaper (node did not spawn)');
  const stdin = child.stdin;
  // Neither the reaper nor the pipe keeps this process alive.
  child.unref();
  (stdin as unknown as { unref?: () => void }).unref?.();
  stdin.on('error', () => {});
  return {
    reaper: trackedProcess('orphan reaper', child.pid),
    track(p) {
      stdin.write(`${JSON.stringify(p)}\n`);
    },
    close() {
      stdin.end();
    },
  };
}
