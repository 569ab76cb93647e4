import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/free-port';
import {
  launchCampaign,
  perRecipient,
  resetSandbox,
  storeSupporters,
  waitForCampaign,
} from '../support/delivery-harness';
import { validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Worker processes as a deployment runs them (workers/main.ts): health and metrics on METRICS_PORT,
// and SIGTERM in the middle of a stage hands the rest to another worker: none twice, none missing.
let svc: Service;
const started: ChildProcess[] = [];

interface WorkerProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startWorker(): Promise<WorkerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...inject('stackEnv'),
      // Slow enough that a stage of 400 is mid-way when the signal comes.
      SMS_RATE_PER_SEC: '40',
      WORKER_ROLES: 'orchestrator,sms',
      METRICS_PORT: String(port),
      WORKER_SHUTDOWN_GRACE_SECONDS: '2',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}

const probe = async (port: number, path: string) => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
};

beforeAll(async () => {
  svc = await startService({ roles: [] });
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  await svc?.stop();
});

describe('worker processes', () => {
  it('answer livez/readyz/metrics, drain on SIGTERM, exit 0, and another worker finishes the stage exactly once', async () => {
    await resetSandbox(svc.sandboxUrl);
    const first = await startWorker();
    await eventually(
      () => probe(first.port, '/readyz'),
      (r) => r.status === 200,
      `first worker ready\n${first.output()}`,
      120_000,
    );
    expect((await probe(first.port, '/livez')).status).toBe(200);
    const scraped = await eventually(
      () => probe(first.port, '/metrics'),
      (r) => r.text.includes('temporal_'),
      'SDK metrics in the scrape',
    );
    expect(scraped.text).toContain('campaign_messages_total');

    const phones = Array.from({ length: 400 }, () => validPhone());
    await storeSupporters(
      svc,
      svc.orgId,
      phones.map((phone) => ({ phone, consent: { sms: true } })),
    );
    const org = { orgId: svc.orgId, api: svc.api };
    const sandbox = sandboxClient(svc.sandboxUrl);
    const id = await launchCampaign(org, {
      stages: [{ key: 'alert', channel: 'sms' }],
      content: { en: { sms: 'Urgent: write to free {{caseName}} {{actionUrl}}' } },
    });
    await eventually(
      () => sandbox.messages({ channel: 'sms' }),
      (ms) => ms.length >= 40,
      'the stage under way',
    );
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    const sentByFirst = (await sandbox.messages({ channel: 'sms' })).length;
    expect(sentByFirst, 'SIGTERM came mid-stage').toBeLessThan(phones.length);

    const second = await startWorker();
    const done = await waitForCampaign(org, id, 'completed', 180_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\nsecond worker:\n${second.output()}`);
    });
    expect(done.status).toBe('completed');
    const counts = perRecipient(
      (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to)),
    );
    expect(
      phones.filter((p) => counts.get(p) !== 1),
      'missing or duplicated',
    ).toEqual([]);

    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
  }, 400_000);
});
