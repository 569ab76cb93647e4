// `npm run fuzz`: schemathesis against the whole API described by /openapi.json, on a throwaway
// dev-like stack (embedded PostgreSQL, Temporal dev server, provider sandbox, API and workers in
// this process), loopback only, bounded in examples and time. Not part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createCampaign } from '../api/services/campaign-service';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { payloadKeys, publicBaseUrl } from '../core/runtime';
import { connectTemporalClient } from '../core/temporal';
import { createOrganization, createToken } from '../db/tenants';
import { cacheDir, withCacheLock } from '../infra/cache-dir';
import { loadOrCreateDevSecrets } from '../infra/dev-secrets';
import { freePort } from '../infra/free-port';
import { startLocalStack } from '../infra/local-stack';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { createEmailFromConfig, createSmsFromConfig } from '../workers/channels';
import { createWorkers } from '../workers/create-workers';

const SCHEMATHESIS_VERSION = '4.32.5';
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 50);
const TIME_LIMIT_S = Number(process.env.FUZZ_TIME_LIMIT_S ?? 900);
const SEED = process.env.FUZZ_SEED ?? '20261128';
// The id OpenAPI shows as the {id} example: seeding a campaign and a supporter under it lets the
// examples phase reach real records, not only 404s.
const EXAMPLE_ID = '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11';
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'problem_json',
];

// Worker state chatter would bury schemathesis's report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

const print = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);

/** A Python for the virtualenv: FUZZ_PYTHON, else the newest 3.12+ found (3.11 trips a CPython AST bug in
 * Hypothesis while it generates campaign bodies), else python3. */
function choosePython(): { python: string; version: string } {
  const versionOf = (python: string) => {
    const run = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const pyenv = join(process.env.PYENV_ROOT || join(homedir(), '.pyenv'), 'versions');
  const pyenvPythons = existsSync(pyenv)
    ? readdirSync(pyenv)
        .filter((v) => /^3\.(1[2-9])\.\d+$/.test(v))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
        .map((v) => join(pyenv, v, 'bin', 'python3'))
    : [];
  const candidates = [process.env.FUZZ_PYTHON, 'python3.13', 'python3.12', ...pyenvPythons, 'python3'];
  for (const python of candidates) {
    if (!python) continue;
    const version = versionOf(python);
    if (
      version &&
      (python === process.env.FUZZ_PYTHON || python === 'python3' || Number(version.split('.')[1]) >= 12)
    )
      return { python, version };
  }
  throw new Error('no python3 found: install Python 3.12+ (or set FUZZ_PYTHON) to run schemathesis');
}

/** schemathesis in a virtualenv in the per-user cache, built once per version and Python. */
async function ensureSchemathesis(): Promise<string> {
  if (process.env.SCHEMATHESIS_BIN) return process.env.SCHEMATHESIS_BIN;
  const { python, version } = choosePython();
  const venv = join(cacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}-py${version}`);
  const bin = join(venv, 'bin', 'schemathesis');
  const works = () =>
    spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.includes(SCHEMATHESIS_VERSION);
  if (existsSync(bin) && works()) return bin;
  return withCacheLock('schemathesis', print, async () => {
    if (existsSync(bin) && works()) return bin;
    print(`installing schemathesis ${SCHEMATHESIS_VERSION} with Python ${version} into ${venv}`);
    await rm(venv, { recursive: true, force: true });
    for (const [cmd, args] of [
      [python, ['-m', 'venv', venv]],
      [join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]],
    ] as const) {
      const run = spawnSync(cmd, args, { stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${run.status})`);
    }
    if (!works()) throw new Error(`${bin} does not run after installing`);
    return bin;
  });
}

interface Figures {
  operations: number;
  failures: Array<{ operation: string; title: string; reproduce?: string }>;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Counts from schemathesis's JUnit report: one testcase per operation, failures with their checks and a curl. */
function figuresFromJunit(xml: string): Figures {
  const testcases = [...xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)];
  const failures: Figures['failures'] = [];
  for (const [, attrs, inner] of testcases) {
    const operation = attrs?.match(/name="([^"]*)"/)?.[1] ?? '?';
    for (const f of (inner ?? '').matchAll(
      /<(failure|error)\b[^>]*?message="([^"]*)"[^>]*>([\s\S]*?)<\/\1>/g,
    )) {
      const reproduce = f[3]?.match(/curl [^\n]*/)?.[0];
      failures.push({
        operation,
        title: `${f[1] === 'error' ? 'schemathesis error: ' : ''}${unescapeXml(f[2]!.split('&#10;')[0]!).slice(0, 200)}`,
        reproduce: reproduce && unescapeXml(reproduce),
      });
    }
  }
  return { operations: testcases.length, failures };
}

async function main() {
  const schemathesis = await ensureSchemathesis();
  const temporalCli = await ensureTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH || undefined,
    log: print,
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-fuzz-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  await chmod(dataDir, 0o755);
  const reportDir = resolve('.data', 'fuzz');
  await rm(reportDir, { recursive: true, force: true });
  await mkdir(reportDir, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => print(`stop failed: ${String(err)}`));
  };

  try {
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    print('starting PostgreSQL, Temporal dev server and sandbox');
    const stack = await startLocalStack({
      dataDir,
      temporalCli,
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      headless: true,
      embeddedPgPort: await freePort(),
      connectTimeoutS: 10,
      apiBaseUrl: apiUrl,
      secrets: await loadOrCreateDevSecrets(dataDir),
      log: () => {},
    });
    stops.push(stack.stop);
    const config = loadConfig({
      ...stack.env,
      PORT: String(apiPort),
      LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
      // The fuzzer is one client sending as fast as it can; the limits have their own tests.
      RATE_LIMIT_PER_TOKEN_PER_MIN: '1000000',
      RATE_LIMIT_PER_IP_PER_MIN: '1000000',
      RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: '1000000',
    });
    const keys = payloadKeys(config);
    const log = createLogger({ level: config.LOG_LEVEL, name: 'fuzz-api' });
    const temporal = await connectTemporalClient({
      address: config.TEMPORAL_ADDRESS,
      namespace: 'default',
      keys,
    });
    stops.push(() => temporal.connection.close());
    const deps = { sql: stack.sql, temporal, config, log, keys, publicBaseUrl: publicBaseUrl(config) };
    const app = createApp(deps);
    const server = serve({
      fetch: app.fetch,
      createServer: app.createServer,
      hostname: '127.0.0.1',
      port: apiPort,
    });
    await new Promise<void>((done) => server.once('listening', () => done()));
    stops.push(() => new Promise<void>((done) => server.close(() => done())));
    print(`API on ${apiUrl} (port ${(server.address() as AddressInfo).port})`);

    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    stops.push(() => connection.close());
    const workers = await createWorkers(['orchestrator', 'sms', 'email'], {
      config,
      sql: stack.sql,
      connection,
      sms: () => createSmsFromConfig(config),
      email: () => createEmailFromConfig(config),
    });
    const running = workers.map((w) => w.run());
    stops.push(async () => {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
    });

    const orgId = await createOrganization(stack.sql, { name: 'Fuzz organization' });
    const { token } = await createToken(stack.sql, { orgId, role: 'organizer', label: 'fuzz' });
    await stack.sql`insert into supporters (id, org_id, name, phone, email, locale, tags, sms_consent, email_consent)
      values (${EXAMPLE_ID}, ${orgId}, 'Fuzz Example', '+14135550100', 'fuzz@example.org', 'km', ${['lowell']}, true, true)`;
    await createCampaign(deps, {
      orgId,
      campaignId: EXAMPLE_ID,
      body: {
        kind: 'custom',
        title: 'Fuzz example',
        content: { en: { sms: 'Hello {{firstName}}' } },
        stages: [{ key: 'follow-up', at: { after: 'P30D' } }],
      },
    });

    const args = [
      'run',
      `${apiUrl}/openapi.json`,
      '--checks',
      CHECKS.join(','),
      '--header',
      `Authorization: Bearer ${token}`,
      '--max-examples',
      String(MAX_EXAMPLES),
      '--seed',
      SEED,
      '--phases',
      'examples,coverage,fuzzing',
      '--workers',
      '2',
      // /a/{token} redirects to a campaign's action page on the internet: never follow it.
      '--max-redirects',
      '0',
      '--request-timeout',
      '30',
      '--generation-database',
      ':memory:',
      '--report',
      'junit,ndjson',
      '--report-junit-path',
      join(reportDir, 'junit.xml'),
      '--report-ndjson-path',
      join(reportDir, 'events.ndjson'),
      '--no-color',
    ];
    print(
      `schemathesis ${SCHEMATHESIS_VERSION}: ${MAX_EXAMPLES} examples per operation, at most ${TIME_LIMIT_S} s`,
    );
    const child = spawn(schemathesis, args, {
      // Its own working folder: schemathesis leaves a .schemathesis/ cache where it runs.
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SCHEMATHESIS_HOOKS: resolve('fuzz/hooks.py'), NO_PROXY: '127.0.0.1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output = (output + chunk.toString('utf8')).slice(-20_000);
    });
    const timer = setTimeout(() => {
      print(`time limit of ${TIME_LIMIT_S} s reached: stopping schemathesis`);
      child.kill('SIGTERM');
    }, TIME_LIMIT_S * 1000);
    const code = await new Promise<number>((done) =>
      child.once('close', (c, signal) => done(c ?? (signal ? 124 : 1))),
    );
    clearTimeout(timer);

    const junit = await readFile(join(reportDir, 'junit.xml'), 'utf8').catch(() => '');
    const figures = figuresFromJunit(junit);
    const cases = output.match(/(\d+) generated/)?.[1] ?? '?';
    const errors = output.match(/Runtime Error: (\d+)/)?.[1] ?? '0';
    print(
      `${figures.operations} operations, ${cases} test cases, ${figures.failures.length} failures, ${errors} schemathesis runtime errors; reports in ${reportDir} (exit ${code})`,
    );
    for (const f of figures.failures)
      print(`  FAIL ${f.operation}: ${f.title}${f.reproduce ? `\n    ${f.reproduce}` : ''}`);
    return code;
  } finally {
    print('stopping the stack');
    await stopAll();
  }
}

// Explicit exit: native Temporal handles would otherwise keep the process (and its exit code) hostage.
main().then(
  (code) => process.exit(code),
  (err) => {
    print(`fuzz run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
