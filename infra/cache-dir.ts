import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Per-user cache shared by every clone: built tools outlive the work tree. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache');
  const dir = join(base, 'campaign-orchestrator');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding `<cache>/<name>.lock`, so two test runs never build the same tool at once.
 * A lock left by a dead process is taken over.
 */
export async function withCacheLock<T>(
  name: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const lockPath = join(cacheDir(), `${name}.lock`);
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(lockPath, 'utf8').trim());
    } catch {
      continue; // released between our two calls
    }
    if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (!announced) {
      log(`waiting for process ${holder} that holds ${lockPath} (another build of ${name} is running)`);
      announced = true;
    }
    await sleep(1000);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
