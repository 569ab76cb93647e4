import { type ChildProcess, spawn } from 'node:child_process';

export interface Supervised {
  name: string;
  /** Sends a signal to the current child's whole process group (chaos runs kill workers this way). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * Runs a child in its own process group, prefixes its output, restarts it when it dies
 * unexpectedly (with backoff), and stops it with SIGTERM then SIGKILL.
 */
export function supervise(opts: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  restart?: boolean;
  /** Each start of the child, with its pid (also its process group id): the dev stack tracks it. */
  onSpawn?: (pid: number) => void;
}): Supervised {
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  const start = () => {
    const startedAt = Date.now();
    const proc = spawn(opts.command, opts.args, {
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    if (proc.pid) opts.onSpawn?.(proc.pid);
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) opts.print(`[${opts.name}] ${line}`);
    };
    proc.stdout?.on('data', relay);
    proc.stderr?.on('data', relay);
    proc.on('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - startedAt > 30_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 1000 * 2 ** (failures - 1));
      opts.print(
        `[${opts.name}] exited (${signal ?? `code ${code}`})${opts.restart === false ? '' : `; restarting in ${delay / 1000}s`}`,
      );
      if (opts.restart !== false) setTimeout(() => !stopping && start(), delay);
    });
  };
  start();
  return {
    name: opts.name,
    signal(sig) {
      if (child && child.exitCode === null && child.signalCode === null) killGroup(child, sig);
    },
    async stop() {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// A negative pid signals the whole group, so grandchildren (tsx → node) go too.
function killGroup(proc: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (proc.pid) process.kill(-proc.pid, signal);
  } catch {
    proc.kill(signal);
  }
}
