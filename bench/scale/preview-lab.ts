/**
 * A workbench for the preview at scale, without the whole scale phase: keeps an embedded PostgreSQL
 * with one seeded organization in `--dir` (seeded once, reused by later runs), then times
 * previewCampaign in this process (the same rule again, and a new rule each call, as the scale bench
 * does) and prints pg_stat_statements' top statements of the new-rule calls.
 *
 *   nice -n 19 npx tsx bench/scale/preview-lab.ts [--dir /tmp/preview-lab] [--n 1000000] [--calls 20]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expandOrReject } from '../../api/services/campaign-service';
import { previewCampaign } from '../../api/services/preview';
import { connectDatabase } from '../../db/client';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { freePort } from '../../infra/free-port';
import { campaignBody } from '../content';
import { resetStatements, topStatements } from '../pg-activity';
import { seedScaleOrganization } from './seed-million';
import { summarize } from './timing';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/preview-lab' },
    n: { type: 'string', default: '1000000' },
    calls: { type: 'string', default: '20' },
    only: { type: 'string', default: '' },
  },
});
const n = Number(values.n);
const calls = Number(values.calls);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const pg = await startEmbeddedPostgres({
  dataDir: join(values.dir, 'pg'),
  port: await freePort(),
  settings: { shared_preload_libraries: 'pg_stat_statements' },
});
const sql = await connectDatabase(pg.url, { connectTimeoutS: 10 });
try {
  await migrate(sql);
  const orgFile = join(values.dir, `org-${n}.txt`);
  let orgId = existsSync(orgFile) ? readFileSync(orgFile, 'utf8').trim() : '';
  if (!orgId) {
    log(`seeding ${n} supporters`);
    const org = await seedScaleOrganization(sql, 'preview lab', n, log);
    orgId = org.orgId;
    writeFileSync(orgFile, orgId);
  }
  const prices = { smsPerSegment: 0.0079, email: 0.0004, linkBaseUrl: 'https://example.org' };
  const body = (exclude: string[]) => ({
    ...campaignBody('preview lab'),
    audience: { tags: { include: ['ua-network', 'students'], exclude } },
  });
  const time = async (label: string, bodyOf: (k: number) => unknown) => {
    const samples: number[] = [];
    let last: unknown;
    for (let k = 0; k < calls + 2; k++) {
      const t0 = performance.now();
      const expanded = await expandOrReject(sql, orgId, bodyOf(k));
      last = await previewCampaign(sql, orgId, expanded, prices);
      if (k >= 2) samples.push(performance.now() - t0);
    }
    const s = summarize(samples);
    log(`${label}: p50 ${s.p50Ms.toFixed(0)} ms, p95 ${s.p95Ms.toFixed(0)} ms, max ${s.maxMs.toFixed(0)} ms`);
    return last;
  };
  const run = `${Date.now()}`;
  if (values.only !== 'new') await time('same rule again', () => body(['press']));
  await resetStatements(sql);
  const last = await time('new rule each call', (k) => body(['press', `nobody-${run}-${k}`]));
  console.log(JSON.stringify(last, null, 1).slice(0, 1500));
  for (const s of await topStatements(sql, 12))
    console.log(`${s.totalMs} ms / ${s.calls} calls = ${s.meanMs} ms: ${s.query}`);
} finally {
  await sql.end({ timeout: 5 });
  await pg.stop();
}
