// `npm run chaos -- [--recipients N] [--json FILE] [--only name,name] [--cluster] [--pg-log FILE]`:
// faults, restarts and floods against the real stack, each delivery scenario a stage to N supporters;
// prints a table and JSON. `--cluster`: on the production-shaped cluster (infra/cluster), with its own
// scenarios too. `--pg-log FILE` (dev-server stack): PostgreSQL's whole log, connections included.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startupFailureLine } from '../infra/startup-error';
import {
  apiSigkillDuringFlood,
  historySigkill,
  oneOfTwoWorkersSigkill,
  postgresSigkill,
} from './cluster-scenarios';
import { startClusterChaosStack } from './cluster-stack';
import { type FloodReport, partnerWebhookFlood, twilioCallbackFlood } from './flood';
import type { ScenarioReport } from './measure';
import { droppedCallbacks, postgresRestart, providerFaults, temporalRestart, workerKills } from './scenarios';
import { type ChaosStack, startChaosStack } from './stack';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '5000' },
    json: { type: 'string' },
    only: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    /** How long the scenarios that lose callbacks wait for the lost statuses to be reconciled. */
    'reconcile-wait': { type: 'string', default: '180' },
    'pg-log': { type: 'string' },
  },
});
const recipients = Number(values.recipients);
if (!Number.isInteger(recipients) || recipients < 1 || recipients > 1_000_000) {
  console.error('--recipients must be an integer between 1 and 1,000,000');
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(',')) : undefined;
const log = (line: string) => console.log(`[chaos] ${line}`);

const onCluster = values.cluster === true;
const reconcileWaitS = Number(values['reconcile-wait']);
const stack: ChaosStack = await (onCluster
  ? startClusterChaosStack({ log })
  : startChaosStack({ log, pgLogFile: values['pg-log'] })
).catch((err: unknown) => {
  // startChaosStack stopped what it had started; its error is one sentence.
  console.error(startupFailureLine('the chaos stack', err));
  process.exit(1);
});
const results: Array<ScenarioReport | FloodReport> = [];
try {
  await stack.sql`
    insert into supporters (org_id, name, phone, locale, timezone, tags, sms_consent)
    select ${stack.orgId}, 'Chaos ' || i, '+1202' || lpad((5000000 + i)::text, 7, '0'),
      case when i % 2 = 0 then 'km' else 'en' end, 'UTC', '{chaos}', true
    from generate_series(1, ${recipients}) as i`;
  const phones = (
    await stack.sql<
      { phone: string }[]
    >`select phone from supporters where org_id = ${stack.orgId} order by phone`
  ).map((r) => r.phone);
  log(`seeded ${recipients} supporters`);

  const scenarios: Array<[string, () => Promise<ScenarioReport | FloodReport>]> = [
    ['worker-sigkill', () => workerKills(stack, recipients)],
    ['temporal-restart', () => temporalRestart(stack, recipients)],
    ['postgres-restart', () => postgresRestart(stack, recipients)],
    ['callbacks-dropped', () => droppedCallbacks(stack, recipients, { reconcileWaitS })],
    ['provider-faults', () => providerFaults(stack, recipients, phones)],
    ['flood-twilio-status', () => twilioCallbackFlood(stack)],
    ['flood-partner-webhooks', () => partnerWebhookFlood(stack)],
  ];
  // Before provider-faults: the numbers it fails permanently are suppressed in every later stage.
  if (onCluster)
    scenarios.splice(
      4,
      0,
      ['history-sigkill', () => historySigkill(stack, recipients)],
      ['worker-one-of-two', () => oneOfTwoWorkersSigkill(stack, recipients)],
      ['postgres-sigkill', () => postgresSigkill(stack, recipients)],
      ['api-sigkill-flood', () => apiSigkillDuringFlood(stack, recipients, { reconcileWaitS })],
    );
  for (const [name, run] of scenarios) {
    if (only && !only.has(name)) continue;
    log(`scenario ${name}…`);
    const result = await run().catch((err: Error) => ({ scenario: name, error: err.message }) as never);
    results.push(result);
    log(JSON.stringify(result));
  }
} finally {
  // The cluster's process logs live in the stack's temporary directory: keep them when a run fails.
  const logDir = stack.cluster?.stack.logDir;
  if (logDir && failedAny(results)) {
    const kept = `chaos/results/logs-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await cp(logDir, kept, { recursive: true }).catch((err: Error) => log(`logs not kept: ${err.message}`));
    log(`the run failed: process logs kept in ${kept}`);
  }
  await stack.stop();
}

const table = results.map((r) => ({ ...r }));
console.table(table);
const output = {
  recipients,
  on: onCluster ? 'cluster' : 'dev-server',
  ranAt: new Date().toISOString(),
  results,
};
await mkdir('chaos/results', { recursive: true });
await writeFile(
  onCluster ? 'chaos/results/latest-cluster.json' : 'chaos/results/latest.json',
  `${JSON.stringify(output, null, 2)}\n`,
);
if (values.json) await writeFile(values.json, `${JSON.stringify(output, null, 2)}\n`);
process.exit(failedAny(results) ? 1 : 0);

/** A scenario errored, duplicated, missed, answered 5xx, left a status pending or let a forgery in. */
function failedAny(results: Array<ScenarioReport | FloodReport>): boolean {
  return results.some(
    (r) =>
      'error' in r ||
      ('duplicates' in r && (r.duplicates > 0 || r.missing > 0 || r.server_errors > 0)) ||
      ('statuses_pending' in r && r.statuses_pending !== 0) ||
      ('bad_signatures_refused' in r &&
        (r.bad_signatures_refused !== r.bad_signatures || r.server_errors > 0 || r.second_effects > 0)),
  );
}
