import { readFileSync } from 'node:fs';

/**
 * A process we started, as recorded in the dev stack's lock file and told to the orphan reaper.
 * `start` is the kernel's start time of the pid (Linux /proc), so a pid reused by another program
 * after a reboot or a long pause is never mistaken for ours; null where /proc is not available.
 */
export interface TrackedProcess {
  name: string;
  pid: number;
  /** Signal the whole process group -pid (children that run in a group of their own, e.g. tsx → node). */
  group: boolean;
  /** The polite signal: SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client). */
  signal: 'SIGTERM' | 'SIGINT';
  start: string | null;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** True while `pid` runs and, where start times are known, is still the process that was recorded. */
export function isSameProcess(pid: number, start: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it runs but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartTime(pid);
  if (now === null || start === null) return true;
  // A zombie has ended: its parent simply has not collected it yet.
  return now === start && !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** The command of `pid` for messages ("node api/main.ts"), or '' where it cannot be read. */
export function processCommand(pid: number): string {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return '';
  }
  // Loader flags (tsx's --require/--import) say nothing about what runs.
  const shown = args.filter(
    (a, i) =>
      !/^--(require|import|loader)$/.test(a) && !/^--(require|import|loader)$/.test(args[i - 1] ?? ''),
  );
  return shown.join(' ').slice(0, 120);
}

/** Records `pid` with its current start time. */
export function trackedProcess(
  name: string,
  pid: number,
  opts: { group?: boolean; signal?: TrackedProcess['signal'] } = {},
): TrackedProcess {
  return {
    name,
    pid,
    group: opts.group ?? false,
    signal: opts.signal ?? 'SIGTERM',
    start: processStartTime(pid),
  };
}
