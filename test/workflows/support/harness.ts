import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

// Worker state chatter drowns test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

import { TASK_QUEUES } from '../../../domain/task-queues';
import { workflowsPath } from '../../../workers/workflows-path';
import type { FakeWorld } from './fake-activities';

export const bundle = (): Promise<WorkflowBundleWithSourceMap> =>
  bundleWorkflowCode({ workflowsPath, logger: quietLogger });

/** Runs the three task queues' workers on fakes while fn runs, then shuts them down. */
export async function withWorkers<T>(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  world: FakeWorld,
  fn: () => Promise<T>,
  opts: { maxCachedWorkflows?: number } = {},
): Promise<T> {
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default' };
  const workers = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.orchestrator,
      workflowBundle,
      activities: world.orchestrator,
      ...opts,
    }),
    Worker.create({ ...common, taskQueue: TASK_QUEUES.sms, activities: world.sms }),
    Worker.create({ ...common, taskQueue: TASK_QUEUES.email, activities: world.email }),
  ]);
  const running = workers.map((w) => w.run());
  try {
    return await fn();
  } finally {
    for (const w of workers) w.shutdown();
    await Promise.all(running);
  }
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
