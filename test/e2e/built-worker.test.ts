import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withWorkerNodeOptions } from '../../workers/node-options';
import { launchCampaign, perRecipient, waitForCampaign } from '../support/delivery-harness';
import { validPhone } from '../support/generators';
import { sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// What a deployment runs (README, Operations): `npm run build`, then the built worker with its
// workflow bundle, on plain node. Here it is the only worker polling; the API runs in this process.
let svc: Service;
let dir: string;
let worker: ChildProcess;
let output = '';

beforeAll(async () => {
  svc = await startService({ roles: [] });
  // Inside the project, so the built module finds node_modules.
  await mkdir('dist', { recursive: true });
  dir = await mkdtemp(join('dist', 'test-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'infra/build.ts', dir], { stdio: 'pipe' });
  worker = spawn(process.execPath, ['--enable-source-maps', join(dir, 'worker.mjs')], {
    env: withWorkerNodeOptions({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...inject('stackEnv'),
      SMS_RATE_PER_SEC: '2000',
      EMAIL_RATE_PER_SEC: '2000',
      LOG_LEVEL: 'warn',
      WORKFLOW_BUNDLE: join(dir, 'workflow-bundle.js'),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  worker.stdout?.on('data', keep);
  worker.stderr?.on('data', keep);
}, 180_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await svc?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the built worker (npm run build)', () => {
  it('runs a campaign from its workflow bundle: each supporter gets the SMS once', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const phones = [validPhone(), validPhone(), validPhone()];
    for (const phone of phones) {
      const res = await svc.api('/v1/supporters', { body: { name: 'Dara', phone, consent: { sms: true } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const org = { orgId: svc.orgId, api: svc.api };
    const id = await launchCampaign(org, {
      stages: [{ key: 'alert', channel: 'sms' }],
      content: { en: { sms: 'Urgent: write to free {{caseName}} {{actionUrl}}' } },
    });
    const done = await waitForCampaign(org, id).catch((err: unknown) => {
      throw new Error(`${String(err)}\nworker output:\n${output}`);
    });
    expect(done.status).toBe('completed');
    const sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => phones.includes(m.to));
    const counts = perRecipient(sms);
    for (const phone of phones) expect(counts.get(phone), 'one SMS each').toBe(1);
    expect(worker.exitCode, output).toBeNull();
  });
});
