import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { withWorkerNodeOptions } from '../workers/node-options';
import { ConfigError, loadConfig } from './config';
import { ensureDevCredentials } from './dev-credentials';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { startLocalStack } from './local-stack';
import { type Supervised, supervise } from './supervisor';
import { ensureTemporalCli } from './temporal-cli';

// `npm run dev`: the whole service on this machine as one supervised process tree.
const print = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const config = loadConfig();
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const secrets = await loadOrCreateDevSecrets(dataDir);
  const temporalCli = await ensureTemporalCli({ cliPath: config.TEMPORAL_CLI_PATH, log: print });
  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  const temporalPort = Number(config.TEMPORAL_ADDRESS.split(':').pop());
  const stack = await startLocalStack({
    dataDir,
    temporalCli,
    temporalPort,
    temporalUiPort: config.TEMPORAL_UI_PORT,
    databaseUrl: config.DATABASE_URL,
    embeddedPgPort: config.EMBEDDED_PG_PORT,
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    apiBaseUrl: config.PUBLIC_BASE_URL ?? apiUrl,
    sandboxPort: config.SANDBOX_PORT,
    secrets,
    codecEndpoint: `${apiUrl}/codec`,
    log: print,
  });
  const children: Supervised[] = [];
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    print('stopping…');
    await Promise.all(children.map((c) => c.stop()));
    await stack.stop();
    print('stopped');
  };
  exitHook((done) => void shutdown().finally(done));
  stack.temporalProcess.once('exit', (code, signal) => {
    if (!stopping)
      print(
        `!! Temporal dev server exited (${signal ?? `code ${code}`}); /healthz now reports temporal: down. Restart npm run dev.`,
      );
  });

  // Children inherit the environment plus what the local stack provides; the dev UI cannot send tokens to the codec.
  const env = { ...process.env, ...stack.env, CODEC_AUTH: 'false' };
  const tsx = resolve('node_modules/.bin/tsx');
  children.push(
    supervise({
      name: 'workers',
      command: tsx,
      args: ['workers/main.ts'],
      env: withWorkerNodeOptions(env),
      print,
    }),
  );
  children.push(supervise({ name: 'api', command: tsx, args: ['api/main.ts'], env, print }));

  await waitForHealth(`${apiUrl}/healthz`);
  const { credentials, created, file } = await ensureDevCredentials(stack.sql, dataDir, {
    apiUrl,
    twilioAuthToken: secrets.twilioAuthToken,
    resendWebhookSecret: secrets.resendWebhookSecret,
    sandboxUrl: stack.sandboxUrl,
    temporalAddress: stack.temporalAddress,
    temporalUiUrl: stack.temporalUiUrl,
  });
  print('');
  print(
    `ready: API ${apiUrl} (docs ${apiUrl}/docs) · Temporal UI ${stack.temporalUiUrl} · sandbox ${stack.sandboxUrl}`,
  );
  if (created) print(`development credentials (also in ${file}):\n${JSON.stringify(credentials, null, 2)}`);
  else print(`development credentials: ${file}`);
  print('Ctrl-C stops everything.');
}

async function waitForHealth(url: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become healthy at ${url} within 120 s`);
}

main().catch((err) => {
  // Config and prerequisite errors are one line; anything else keeps its stack for debugging.
  print(
    err instanceof ConfigError
      ? err.message
      : `dev stack failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
