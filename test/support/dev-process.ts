import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pollUntilEmpty } from '../../infra/stop-processes';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface DevRun {
  proc: ChildProcess;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the output once a line matches, fails with the output if it exits first or at the deadline. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<number | null>;
}

/** `infra/dev.ts` in a node process of its own (no tsx wrapper: its pid is the supervisor's). */
export function startDev(env: Record<string, string>): DevRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  delete childEnv.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'infra/dev.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group, so the test can clean up after it whatever happens.
    detached: true,
  });
  if (!proc.pid) throw new Error('could not spawn infra/dev.ts');
  let out = '';
  const waiters = new Set<() => void>();
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters) w();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    pid: proc.pid,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) done(() => resolve(out));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out}`))),
          timeoutMs,
        );
        const done = (then: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        void exited.then((code) =>
          setTimeout(() => {
            if (!pattern.test(out))
              done(() => reject(new Error(`exited (code ${code}) before ${pattern}:\n${out}`)));
          }, 100),
        );
        check();
      });
    },
  };
}

/**
 * Every process on this machine whose environment carries `DATA_DIR=<dataDir>`: the supervisor,
 * the reaper, the API and workers (and their tsx parents), PostgreSQL with its backends, Temporal.
 * All of them inherit the dev stack's environment.
 */
export function processesOfDataDir(dataDir: string): Array<{ pid: number; command: string }> {
  const needle = `DATA_DIR=${dataDir}\0`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').includes(needle)) continue;
      // A zombie is already dead; its parent has not collected it yet.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 100);
      found.push({ pid: Number(entry), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Polls until `processesOfDataDir` is empty or the deadline passes; returns what is left. */
export function untilNoProcessesOf(dataDir: string, timeoutMs: number) {
  return pollUntilEmpty(() => processesOfDataDir(dataDir), timeoutMs);
}
