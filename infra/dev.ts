import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { loadConfig } from '../core/config';
import { withWorkerNodeOptions } from '../workers/node-options';
import { ensureDevCredentials } from './dev-credentials';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { acquireDevStackLock, type DevStackLock } from './dev-stack-lock';
import { type LocalStack, startLocalStack } from './local-stack';
import { claimPorts, portHolder } from './port-check';
import { type ProcessGuard, startProcessGuard } from './process-guard';
import { type TrackedProcess, trackedProcess } from './process-identity';
import { StartupError, startupFailureLine } from './startup-error';
import { type Supervised, supervise } from './supervisor';
import { ensureTemporalCli } from './temporal-cli';

// `npm run dev`: the whole service on this machine as one supervised process tree. One stack per
// DATA_DIR (dev-stack.json is its lock); everything it starts is tracked by an orphan reaper that
// stops it when this process ends in any way, SIGKILL included.
const print = (line: string) => process.stdout.write(`${line}\n`);

let lock: DevStackLock | undefined;
let guard: ProcessGuard | undefined;
let stack: LocalStack | undefined;
const children: Supervised[] = [];
let stopping = false;

async function shutdown() {
  if (stopping) return;
  stopping = true;
  const started = guard !== undefined;
  if (started) print('stopping…');
  await Promise.all(children.map((c) => c.stop()));
  await stack?.stop();
  guard?.close();
  lock?.release();
  if (started) print('stopped');
}

async function main() {
  const env = process.env;
  const config = loadConfig(env);
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  lock = await acquireDevStackLock(dataDir, print);
  exitHook((done) => void shutdown().finally(done));
  // Under `tsx infra/dev.ts` this process is tsx's child over IPC: if tsx dies, so do we.
  process.once('disconnect', () => void shutdown().finally(() => process.exit(1)));

  // Internal ports move to a free one when their variable is unset; the API's port never moves.
  const unset = (name: string) => !env[name];
  const ports = await claimPorts(
    [
      { port: config.PORT, variable: 'PORT', what: 'the API', movable: false, host: config.HOST },
      {
        port: Number(config.TEMPORAL_ADDRESS.split(':').pop()),
        variable: 'TEMPORAL_ADDRESS',
        what: 'the Temporal dev server',
        movable: unset('TEMPORAL_ADDRESS'),
      },
      {
        port: config.TEMPORAL_UI_PORT,
        variable: 'TEMPORAL_UI_PORT',
        what: 'the Temporal Web UI',
        movable: unset('TEMPORAL_UI_PORT'),
      },
      ...(config.DATABASE_URL
        ? []
        : [
            {
              port: config.EMBEDDED_PG_PORT,
              variable: 'EMBEDDED_PG_PORT',
              what: 'embedded PostgreSQL',
              movable: unset('EMBEDDED_PG_PORT'),
            },
          ]),
      ...(config.SANDBOX_PORT
        ? [
            {
              port: config.SANDBOX_PORT,
              variable: 'SANDBOX_PORT',
              what: 'the provider sandbox',
              movable: unset('SANDBOX_PORT'),
            },
          ]
        : []),
    ],
    print,
  );
  guard = startProcessGuard(dataDir);
  lock.track(guard.reaper);
  const track = (p: TrackedProcess) => {
    guard?.track(p);
    lock?.track(p);
  };

  const secrets = await loadOrCreateDevSecrets(dataDir);
  const temporalCli = await ensureTemporalCli({ cliPath: config.TEMPORAL_CLI_PATH, log: print });
  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  // Passkeys need a host name (WebAuthn refuses IP addresses): the loopback API is reached as localhost.
  const publicUrl =
    config.PUBLIC_BASE_URL ?? (config.HOST === '127.0.0.1' ? `http://localhost:${config.PORT}` : apiUrl);
  stack = await startLocalStack({
    dataDir,
    temporalCli,
    temporalPort: ports.TEMPORAL_ADDRESS ?? 0,
    temporalUiPort: ports.TEMPORAL_UI_PORT ?? 0,
    databaseUrl: config.DATABASE_URL,
    embeddedPgPort: ports.EMBEDDED_PG_PORT ?? config.EMBEDDED_PG_PORT,
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    apiBaseUrl: publicUrl,
    sandboxPort: ports.SANDBOX_PORT ?? config.SANDBOX_PORT,
    secrets,
    codecEndpoint: `${apiUrl}/codec`,
    log: print,
    track,
  });
  const temporalUiUrl = stack.temporalUiUrl;
  stack.temporalProcess.once('exit', (code, signal) => {
    if (!stopping)
      print(
        `!! Temporal dev server exited (${signal ?? `code ${code}`}); /healthz now reports temporal: down. Restart npm run dev.`,
      );
  });

  // Children inherit the environment plus what the local stack provides; the dev UI cannot send
  // tokens to the codec, and its origin follows the UI's port when that moved.
  const instanceId = randomUUID();
  const childEnv = {
    ...env,
    ...stack.env,
    CODEC_AUTH: 'false',
    ...(unset('CODEC_CORS_ORIGIN') && temporalUiUrl ? { CODEC_CORS_ORIGIN: temporalUiUrl } : {}),
    INSTANCE_ID: instanceId,
  };
  const tsx = resolve('node_modules/.bin/tsx');
  const tracking = (name: string) => (pid: number) => track(trackedProcess(name, pid, { group: true }));
  children.push(
    supervise({
      name: 'workers',
      command: tsx,
      args: ['workers/main.ts'],
      env: withWorkerNodeOptions(childEnv),
      print,
      onSpawn: tracking('workers'),
    }),
  );
  children.push(
    supervise({
      name: 'api',
      command: tsx,
      args: ['api/main.ts'],
      env: childEnv,
      print,
      onSpawn: tracking('api'),
    }),
  );

  await waitForOwnApi(`${apiUrl}/healthz`, instanceId, config.PORT);
  const { credentials, created, file, invited } = await ensureDevCredentials(
    stack.sql,
    dataDir,
    {
      apiUrl,
      consoleUrl: `${publicUrl}/console`,
      databaseUrl: stack.databaseUrl,
      twilioAuthToken: secrets.twilioAuthToken,
      resendWebhookSecret: secrets.resendWebhookSecret,
      sandboxUrl: stack.sandboxUrl,
      temporalAddress: stack.temporalAddress,
      temporalUiUrl,
    },
    publicUrl,
  );
  lock.ready({ api: apiUrl, temporalUi: temporalUiUrl, sandbox: stack.sandboxUrl });
  print('');
  print(
    `ready: console ${publicUrl}/console · API ${apiUrl} (docs ${apiUrl}/docs) · Temporal UI ${temporalUiUrl} · sandbox ${stack.sandboxUrl} · supervisor pid ${process.pid}`,
  );
  if (created) print(`development credentials (also in ${file}):\n${JSON.stringify(credentials, null, 2)}`);
  else print(`development credentials: ${file}`);
  if (invited && credentials.ownerInviteUrl)
    print(
      `first sign-in: open ${credentials.ownerInviteUrl} (single use, 7 days) to register the dev owner's passkey`,
    );
  print('Ctrl-C stops everything.');
}

/** Waits for a 200 from /healthz carrying our instance id: an answer without it is another program's. */
async function waitForOwnApi(url: string, instanceId: string, port: number) {
  const timeoutS = 180;
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    const res = await fetch(url).catch(() => null);
    if (res?.status === 200) {
      if (res.headers.get('x-instance-id') === instanceId) return;
      throw new StartupError(
        `Another program answers on ${url}${await portHolder(port)}, not the API this dev stack started; stop it or set PORT to a free port.`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StartupError(
    `The API did not become healthy at ${url} within ${timeoutS} s; the [api] lines above say why (fix that and start again).`,
  );
}

main().catch(async (err) => {
  print(startupFailureLine('the dev stack', err));
  await shutdown().catch(() => {});
  process.exit(1);
});
