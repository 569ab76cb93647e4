import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import twilio from 'twilio';
import { Agent } from 'undici';
import { CallbackDispatcher } from '../../channels/sandbox/callbacks';
import { silentLogger } from '../../channels/sandbox/logger';
import { SandboxStore } from '../../channels/sandbox/store';
import { machineInfo } from '../machine';

// `npm run bench:callbacks [-- --callbacks N]`: the CPU one Twilio status callback costs each side,
// apart from PostgreSQL: the provider sandbox posting it (signing and HTTP), and the API answering it
// through Hono alone or through its fast path (api/twilio-status-fast-path.ts). The callbacks say
// 'queued', which moves no delivery, so the API's figure is its HTTP and signature work only.
// Writes bench/results/callbacks-<time>.json.

const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC = 'https://api.example.org';
const STATUS = '/v1/webhooks/twilio/status';
const IN_FLIGHT = 8;

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

interface Child {
  proc: ChildProcess;
  port: number;
  next(prefix: string): Promise<string>;
}

async function startChild(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(entry), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! });
  const waiting: Array<{ prefix: string; resolve: (v: string) => void }> = [];
  lines.on('line', (line) => {
    const i = waiting.findIndex((w) => line.startsWith(w.prefix));
    if (i < 0) return;
    const [w] = waiting.splice(i, 1);
    w!.resolve(line.slice(w!.prefix.length));
  });
  const next = (prefix: string) =>
    new Promise<string>((r) => waiting.push({ prefix: `${prefix} `, resolve: r }));
  const port = Number(await next('port'));
  return { proc, port, next };
}

/** Sandbox CPU ms per callback: `messages` SMS accepted 25 per 25 ms, each posting 'sent' then 'delivered'. */
async function sandboxSide(messages: number): Promise<number> {
  const receiver = await startChild('bench/callback-cost/receiver.ts', [], process.env);
  const store = new SandboxStore();
  const dispatcher = new CallbackDispatcher({
    store,
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: AUTH_TOKEN,
    resendWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    apiBaseUrl: `http://127.0.0.1:${receiver.port}`,
    publicBaseUrl: PUBLIC,
    enabled: true,
    stepDelayMs: 50,
    timeoutMs: 5_000,
    log: silentLogger,
  });
  const before = process.cpuUsage();
  for (let i = 0; i < messages; i++) {
    const now = new Date().toISOString();
    const msg = store.accept({
      id: `SM${i.toString(16).padStart(32, '0')}`,
      channel: 'sms',
      to: '+19785550100',
      from: '+15005550006',
      body: 'Urgent Action: write today',
      subject: null,
      html: null,
      text: null,
      headers: null,
      segments: 1,
      acceptedAt: now,
      status: 'queued',
      dateSent: null,
      updatedAt: now,
      errorCode: null,
      messagingServiceSid: null,
    });
    dispatcher.smsAccepted(msg, `${PUBLIC}${STATUS}?d=${i + 1}`, false);
    if (i % 25 === 24) await new Promise((r) => setTimeout(r, 25));
  }
  await dispatcher.idle();
  const used = process.cpuUsage(before);
  await dispatcher.close();
  receiver.proc.kill();
  if (store.callbacksDelivered !== 2 * messages)
    throw new Error(`${store.callbacksDelivered} callbacks delivered`);
  return (used.user + used.system) / 1000 / (2 * messages);
}

/** API CPU ms per signed callback, served `mode`. */
async function apiSide(mode: 'hono' | 'fast', callbacks: number): Promise<number> {
  const api = await startChild('bench/callback-cost/api-server.ts', [mode], {
    ...process.env,
    LOG_LEVEL: 'warn',
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL: PUBLIC,
    PAYLOAD_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    SUPPRESSION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: String(100 * callbacks),
  });
  const agent = new Agent({ connections: IN_FLIGHT });
  const post = async (i: number) => {
    const path = `${STATUS}?d=${i + 1}`;
    const sid = `SM${i.toString(16).padStart(32, '0')}`;
    const params = {
      AccountSid: 'AC1',
      ApiVersion: '2010-04-01',
      MessageSid: sid,
      MessageStatus: 'queued',
      SmsSid: sid,
      SmsStatus: 'queued',
      To: '+19785550100',
    };
    const res = await agent.request({
      origin: `http://127.0.0.1:${api.port}`,
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.body.text();
    if (res.statusCode !== 204) throw new Error(`${mode}: callback answered ${res.statusCode}`);
  };
  const cpu = async () => {
    const reply = api.next('cpu');
    api.proc.stdin!.write('\n');
    return Number(await reply);
  };
  // Warm-up: the first requests compile the routes and load the SDK.
  for (let i = 0; i < 1_000; i++) await post(i);
  const before = await cpu();
  for (let i = 0; i < callbacks; i += IN_FLIGHT)
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, callbacks - i) }, (_, k) => post(i + k)));
  const used = (await cpu()) - before;
  await agent.destroy();
  api.proc.kill();
  return used / callbacks;
}

async function main() {
  const callbacks = arg('callbacks', 20_000);
  const started = new Date();
  const sandbox = await sandboxSide(callbacks / 2);
  const hono = await apiSide('hono', callbacks);
  const fast = await apiSide('fast', callbacks);
  const result = {
    started_at: started.toISOString(),
    callbacks,
    sandbox_cpu_ms_per_callback: Number(sandbox.toFixed(3)),
    api_cpu_ms_per_callback: { hono: Number(hono.toFixed(3)), fast_path: Number(fast.toFixed(3)) },
    machine: machineInfo(),
  };
  const dir = resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `callbacks-${result.started_at.replace(/[:.]/g, '-')}-n${callbacks}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    [
      `status callbacks: ${callbacks} (CPU ms per callback, PostgreSQL apart)`,
      `sandbox posting (sign + HTTP)   ${result.sandbox_cpu_ms_per_callback}`,
      `API through Hono                ${result.api_cpu_ms_per_callback.hono}`,
      `API through its fast path       ${result.api_cpu_ms_per_callback.fast_path}`,
      `results: ${file}`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
