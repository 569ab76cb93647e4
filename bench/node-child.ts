import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface NodeChild {
  name: string;
  /** The node process itself (no wrapper), so /proc/<pid> is what runs. */
  pid: number;
  exited: Promise<number | null>;
  /** The last lines the child wrote (stdout and stderr go to its log file). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

/** Runs an entry point (TypeScript or built JavaScript) in its own node process, output to `logFile`. */
export function startNodeChild(opts: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  args?: string[];
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}): NodeChild {
  const fd = openSync(opts.logFile, 'a');
  const proc: ChildProcess = spawn(
    process.execPath,
    // TypeScript sources go through tsx; a built entry (dist/worker.mjs) runs on plain node.
    [
      ...(opts.nodeArgs ?? []),
      ...(opts.entry.endsWith('.ts') ? ['--import', 'tsx'] : []),
      opts.entry,
      ...(opts.args ?? []),
    ],
    {
      env: opts.env,
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  if (proc.pid === undefined) throw new Error(`${opts.name}: spawn failed`);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const tail = (lines = 30) => {
    try {
      return readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  return {
    name: opts.name,
    pid: proc.pid,
    exited,
    tail,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Fails with the child's last output if it exits before `ready` resolves. */
export async function untilReady<T>(child: NodeChild, ready: Promise<T>): Promise<T> {
  const died = child.exited.then((code) => {
    throw new Error(`${child.name} exited (code ${code}) before it was ready:\n${child.tail()}`);
  });
  return Promise.race([ready, died]);
}
