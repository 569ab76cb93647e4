import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/**
 * One long-running child of the cluster (a Temporal service, the Web UI, an API or a worker
 * process): output appended to `logFile`, started again by `start()` after a kill, restarted
 * automatically (after `restartDelayMs`) while `autoRestart` is true. Chaos scenarios flip
 * `autoRestart` to leave a killed process down.
 */
export interface ManagedProcess {
  readonly name: string;
  /** The current child's pid; 0 while down. */
  readonly pid: number;
  readonly alive: boolean;
  autoRestart: boolean;
  start(): void;
  /** Signals the current child (SIGKILL for a crash); resolves when it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; no restart afterwards. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of the log file. */
  tail(lines?: number): string;
}

export function managedProcess(opts: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  autoRestart?: boolean;
  restartDelayMs?: number;
  /** Each start, with the new pid (the dev stack's process guard tracks it). */
  onSpawn?: (pid: number) => void;
}): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  const isAlive = (c: ChildProcess | undefined) => !!c && c.exitCode === null && c.signalCode === null;
  const self: ManagedProcess = {
    name: opts.name,
    autoRestart: opts.autoRestart ?? false,
    get pid() {
      return isAlive(child) ? (child?.pid ?? 0) : 0;
    },
    get alive() {
      return isAlive(child);
    },
    start() {
      if (isAlive(child)) return;
      stopping = false;
      const fd = openSync(opts.logFile, 'a');
      const proc = spawn(opts.command, opts.args, { env: opts.env, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      child = proc;
      if (proc.pid) opts.onSpawn?.(proc.pid);
      exited = new Promise<void>((resolve) => {
        proc.once('exit', () => {
          resolve();
          if (!stopping && self.autoRestart)
            setTimeout(() => !stopping && self.autoRestart && self.start(), opts.restartDelayMs ?? 1000);
        });
        proc.once('error', () => resolve());
      });
    },
    async kill(signal) {
      const proc = child;
      if (!isAlive(proc)) return;
      const done = exited;
      proc?.kill(signal);
      await done;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      const proc = child;
      if (!isAlive(proc)) return;
      const done = exited;
      proc?.kill('SIGTERM');
      const timer = setTimeout(() => proc?.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
    tail(lines = 20) {
      try {
        return readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
  self.start();
  return self;
}
