import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// `tsx bench/profile-summary.ts DIR [TOP]`: self time per function and per package/file of the V8
// CPU profiles that `npm run bench -- --profile DIR` wrote, to see where a process spends its CPU.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const where = (url: string) => {
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (pkg) return pkg;
  if (path.startsWith('node:') || path === '') return path || '(native)';
  return relative(process.cwd(), path);
};

function summarize(file: string, top: number) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const byFn = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const fn = `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byPlace.set(where(f.url), (byPlace.get(where(f.url)) ?? 0) + us);
  }
  const busy = total - idle;
  const show = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`,
      )
      .join('\n');
  console.log(`${file}: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s`);
  console.log(`by package / file:\n${show(byPlace)}\nby function:\n${show(byFn)}\n`);
}

const [dir, top = '25'] = process.argv.slice(2);
if (!dir) throw new Error('usage: profile-summary.ts DIR [TOP]');
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.cpuprofile'));
for (const f of files) summarize(join(dir, f), Number(top));
