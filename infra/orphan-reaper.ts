// The dev stack's orphan reaper: a process of its own (own session, so a terminal's SIGHUP or a
// SIGKILL to the supervisor's process group does not reach it) that reads, on stdin, one JSON
// TrackedProcess per line from the supervisor. When stdin closes (the supervisor ended, however:
// Ctrl-C, SIGTERM, SIGHUP, SIGKILL, a crash), it stops whatever of those still runs, then exits.
import type { TrackedProcess } from './process-identity';
import { stillRunning, stopProcesses } from './stop-processes';

const tracked = new Map<number, TrackedProcess>();
let pending = '';
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (!line.trim()) continue;
    const p = JSON.parse(line) as TrackedProcess;
    tracked.set(p.pid, p);
  }
});
// 'close' also comes when the pipe breaks without an orderly end.
process.stdin.once('close', () => {
  const alive = stillRunning([...tracked.values()]);
  void stopProcesses(alive).then((left) => {
    const names = alive.map((p) => `${p.name} (pid ${p.pid})`).join(', ') || 'nothing was left';
    log(`supervisor gone; stopping: ${names}`);
    if (left.length) log(`still running: ${left.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
    process.exit(0);
  });
});
// The supervisor's own Ctrl-C must not end the reaper before the supervisor itself has ended.
for (const sig of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(sig, () => {});
