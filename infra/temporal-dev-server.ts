import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import { waitForFrontend } from './temporal-frontend';

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `temporal server start-dev` with state in a SQLite file, our search attributes and the UI's codec endpoint. */
export async function startTemporalDevServer(opts: {
  cliPath: string;
  dbFile: string;
  port: number;
  uiPort: number;
  headless?: boolean;
  codecEndpoint?: string;
  log: (line: string) => void;
  /** Called with the server's pid as soon as it is spawned (before it answers). */
  onSpawn?: (pid: number) => void;
}): Promise<TemporalDevServer> {
  const dbFile = resolve(opts.dbFile);
  await mkdir(dirname(dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    dbFile,
    '--log-level',
    'error',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
    // One partition per task queue: the server splits maxTaskQueueActivitiesPerSecond across a
    // queue's partitions (4 by default), so a delivery queue's page rate (2 × rate / PAGE_SIZE,
    // under 1/s) would let a page wait up to four page-times for its partition's token.
    ...['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'].flatMap((v) => [
      '--dynamic-config-value',
      v,
    ]),
    ...(opts.headless ? ['--headless'] : []),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) opts.onSpawn?.(child.pid);
  // A Go panic prints its reason first and a long stack after it: keep both ends.
  let head = '';
  let output = '';
  const keep = (chunk: Buffer) => {
    if (head.length < 4000) head = (head + chunk.toString()).slice(0, 4000);
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(
        new Error(
          `the Temporal dev server exited during start (code ${code}: ${exitReason(head, output)}); check that port ${opts.port} is free and that no other Temporal uses ${dbFile}`,
        ),
      ),
    ),
  );
  exited.catch(() => {});
  await Promise.race([
    waitForFrontend(address, 60_000, {
      what: 'the Temporal dev server',
      pollMs: 250,
      hint: 'the machine may be overloaded, try again',
    }),
    exited,
  ]);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };
  return { address, uiUrl: `http://127.0.0.1:${opts.uiPort}`, process: child, stop };
}

/** The line that says why (a panic's or an error's first line), else the last line. */
function exitReason(head: string, tail: string): string {
  const said = head.split('\n').find((line) => /^(panic|fatal error|error|Error)\b/.test(line.trim()));
  return (said ?? tail.trim().split('\n').pop() ?? '').trim().slice(0, 300) || 'no output';
}
