import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { sleepyWorkflow } from './fixtures/sleepy-workflow';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps a week and skips the week', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/sleepy-workflow.ts', import.meta.url)),
    });
    const before = await env.currentTimeMs();

    const result = await worker.runUntil(
      env.client.workflow.execute(sleepyWorkflow, {
        taskQueue,
        workflowId: `smoke-${randomUUID()}`,
        args: ['campaign'],
      }),
    );

    expect(result).toBe('campaign woke up');
    const skipped = (await env.currentTimeMs()) - before;
    expect(skipped, `test-server clock moved ${skipped} ms`).toBeGreaterThanOrEqual(SEVEN_DAYS_MS);
  });
});
