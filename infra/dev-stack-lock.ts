import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess, processCommand, type TrackedProcess, trackedProcess } from './process-identity';
import { StartupError } from './startup-error';
import { stillRunning, stopProcesses } from './stop-processes';

/** `<DATA_DIR>/dev-stack.json`: who runs the dev stack of this folder, where, and what it started. */
export interface DevStackRecord {
  /** The supervisor (`infra/dev.ts`) and its start time (see TrackedProcess.start). */
  pid: number;
  start: string | null;
  /** Null while the stack is still starting. */
  urls: { api: string; temporalUi: string | null; sandbox: string | null } | null;
  processes: TrackedProcess[];
}

export interface DevStackLock {
  file: string;
  track(p: TrackedProcess): void;
  ready(urls: NonNullable<DevStackRecord['urls']>): void;
  /** Removes the file if it is still ours (orderly stop). */
  release(): void;
}

/**
 * Takes the dev stack lock of `dataDir`. A live holder fails with a StartupError naming its pid and
 * URLs; a dead holder's leftovers (processes it recorded, a PostgreSQL still on this folder's data)
 * are stopped first, and logged, so the new stack starts clean.
 */
export async function acquireDevStackLock(
  dataDir: string,
  log: (line: string) => void,
): Promise<DevStackLock> {
  const file = join(dataDir, 'dev-stack.json');
  const record: DevStackRecord = {
    pid: process.pid,
    start: trackedProcess('supervisor', process.pid).start,
    urls: null,
    processes: [],
  };
  const write = (flag: 'w' | 'wx') => writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`, { flag });
  for (let attempt = 0; ; attempt++) {
    try {
      write('wx');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
    }
    const holder = readRecord(file);
    if (holder && holder.pid !== process.pid && isSameProcess(holder.pid, holder.start)) {
      throw new StartupError(alreadyRunning(dataDir, holder));
    }
    if (holder) await stopLeftovers(holder.processes, log);
    unlinkSync(file);
  }
  await stopLeftovers(stalePostmaster(join(dataDir, 'pg')), log);
  return {
    file,
    track(p) {
      // A restarted child replaces its earlier run (names are unique), so the file stays short.
      record.processes = [...record.processes.filter((q) => q.name !== p.name), p];
      write('w');
    },
    ready(urls) {
      record.urls = urls;
      write('w');
    },
    release() {
      if (readRecord(file)?.pid === process.pid) unlinkSync(file);
    },
  };
}

function alreadyRunning(dataDir: string, holder: DevStackRecord): string {
  const where = holder.urls
    ? `API ${holder.urls.api}${holder.urls.temporalUi ? `, Temporal UI ${holder.urls.temporalUi}` : ''}${holder.urls.sandbox ? `, sandbox ${holder.urls.sandbox}` : ''}`
    : 'still starting';
  return (
    `A dev stack is already running in this folder (DATA_DIR ${dataDir}): supervisor pid ${holder.pid}, ${where}. ` +
    `Use that one, stop it (Ctrl-C in its terminal, or kill ${holder.pid}), or start another with its own DATA_DIR and PORT.`
  );
}

function readRecord(file: string): DevStackRecord | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevStackRecord;
  } catch {
    // Unreadable or half-written: nobody can be shown as its holder, so it is stale.
    return null;
  }
}

/** A PostgreSQL server still running on `pgDataDir` (its postmaster.pid names a live postgres). */
function stalePostmaster(pgDataDir: string): TrackedProcess[] {
  let pid: number;
  try {
    pid = Number(readFileSync(join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  if (!isSameProcess(pid, null) || !processCommand(pid).includes('postgres')) return [];
  return [trackedProcess('PostgreSQL', pid, { signal: 'SIGINT' })];
}

async function stopLeftovers(procs: TrackedProcess[], log: (line: string) => void) {
  const alive = stillRunning(procs);
  if (!alive.length) return;
  const names = alive.map((p) => `${p.name} (pid ${p.pid})`).join(', ');
  log(`stopping leftovers of an earlier dev stack in this folder: ${names}`);
  const left = await stopProcesses(alive);
  if (left.length) {
    const pids = left.map((p) => p.pid).join(' ');
    throw new StartupError(
      `Leftovers of an earlier dev stack in this folder would not stop (${left.map((p) => `${p.name} pid ${p.pid}`).join(', ')}); stop them with \`kill -9 ${pids}\` and start again.`,
    );
  }
}
