import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStackRecord } from '../../infra/dev-stack-lock';
import { freePort } from '../../infra/free-port';
import { readPreparedPaths } from '../../infra/prepared-paths';
import { type DevRun, processesOfDataDir, startDev, untilNoProcessesOf } from '../support/dev-process';

// `npm run dev` as people really stop and start it, with real PostgreSQL and Temporal: its own
// temporary DATA_DIR and free ports, never .data/. Deadlines are generous (a loaded 2-core machine).
const START_MS = 240_000;
const GONE_MS = 20_000;

const dataDirs: string[] = [];
async function tempDataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'campaigns-dev-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  await chmod(dir, 0o755);
  dataDirs.push(dir);
  return dir;
}

async function devEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    SANDBOX_PORT: String(await freePort()),
    TEMPORAL_CLI_PATH: readPreparedPaths().temporalCli,
  };
}

const record = async (dataDir: string) =>
  JSON.parse(await readFile(join(dataDir, 'dev-stack.json'), 'utf8')) as DevStackRecord;

describe('npm run dev', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let first: DevRun;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    env = await devEnv(dataDir);
    first = startDev(env);
    await first.waitFor(/^ready: /m, START_MS);
  });

  afterAll(async () => {
    // Whatever a failed test left behind: only processes carrying one of our temporary DATA_DIRs.
    for (const dir of dataDirs) {
      for (const p of processesOfDataDir(dir)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {}
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second start in the same folder, naming the running supervisor and its URLs', async () => {
    const second = startDev(env);
    expect(await second.exited, second.output()).toBe(1);
    const message = second.output().trim();
    expect(message).toContain('A dev stack is already running in this folder');
    expect(message).toContain(`supervisor pid ${first.pid}`);
    expect(message).toContain(`API http://127.0.0.1:${env.PORT}`);
    expect(message).not.toMatch(/undefined|\n\s+at /);
    // The first stack is untouched and still answers as itself.
    const health = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
    expect(health.status).toBe(200);
  });

  it('names a port taken by another program and the variable that moves it', async () => {
    const other = await tempDataDir();
    const otherEnv = await devEnv(other);
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(Number(otherEnv.PORT), '127.0.0.1', () => r()));
    try {
      const run = startDev(otherEnv);
      expect(await run.exited, run.output()).toBe(1);
      const message = run.output().trim();
      expect(message).toMatch(new RegExp(`^Port ${otherEnv.PORT} \\(PORT, the API\\) is already in use`));
      expect(message).toContain(`pid ${process.pid}`);
      expect(message).toContain('set PORT to a free port');
      expect(message.split('\n')).toHaveLength(1);
      expect(processesOfDataDir(other)).toEqual([]);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('leaves none of its processes behind when its supervisor is SIGKILLed, then starts clean again', async () => {
    const before = await record(dataDir);
    expect(before.processes.map((p) => p.name).sort()).toEqual(
      ['PostgreSQL', 'Temporal dev server', 'api', 'orphan reaper', 'workers'].sort(),
    );
    expect(processesOfDataDir(dataDir).length).toBeGreaterThan(5);
    process.kill(first.pid, 'SIGKILL');
    expect(await untilNoProcessesOf(dataDir, GONE_MS)).toEqual([]);

    const again = startDev(env);
    await again.waitFor(/^ready: /m, START_MS);
    expect(again.output()).not.toContain('already running');
    const after = await record(dataDir);
    expect(after.pid).toBe(again.pid);
    const oldPids = new Set(before.processes.map((p) => p.pid));
    expect(after.processes.filter((p) => oldPids.has(p.pid))).toEqual([]);

    // An orderly stop (SIGTERM, as from a service manager) also ends everything and frees the folder.
    process.kill(again.pid, 'SIGTERM');
    // 128 + 15, the shell's convention for "ended by SIGTERM" (async-exit-hook).
    expect(await again.exited).toBe(143);
    // Children may still print while they stop, so the two lines need not be adjacent.
    expect(again.output()).toMatch(/^stopping…$[\s\S]*^stopped$/m);
    expect(await untilNoProcessesOf(dataDir, GONE_MS)).toEqual([]);
    await expect(readFile(join(dataDir, 'dev-stack.json'))).rejects.toThrow(/ENOENT/);
  });
});
