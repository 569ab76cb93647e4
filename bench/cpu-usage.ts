import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100;

/** user + system CPU seconds of a process (all its threads), or 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(name));
    } catch {}
  }
  return pids;
}

/** A process, or a process and its direct children (PostgreSQL's backends). */
export interface CpuGroup {
  name: string;
  pid: number;
  withChildren?: boolean;
}

export type CpuSnapshot = Map<string, Map<number, number>>;

export function snapshotCpu(groups: CpuGroup[]): CpuSnapshot {
  const snap: CpuSnapshot = new Map();
  for (const g of groups) {
    const pids = [g.pid, ...(g.withChildren ? childrenOf(g.pid) : [])];
    snap.set(g.name, new Map(pids.map((p) => [p, cpuSeconds(p)])));
  }
  return snap;
}

/** CPU seconds each group used between two snapshots (processes that appeared in between count from 0). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pids] of after) {
    let total = 0;
    for (const [pid, s] of pids) total += s - (before.get(name)?.get(pid) ?? 0);
    out[name] = Math.round(total * 100) / 100;
  }
  return out;
}
