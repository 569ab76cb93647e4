import { hostname } from 'node:os';
import type { Client } from '@temporalio/client';

const ACTIVITY = 2;
const WORKFLOW = 1;

/**
 * Waits until the process `pid` polls every given task queue (the SDK's default identity is
 * pid@host), so a launch is not timed against a worker that is still bundling its workflows.
 */
export async function waitForPollers(
  client: Client,
  pid: number,
  queues: Array<{ name: string; kind: 'workflow' | 'activity' }>,
  timeoutMs = 120_000,
): Promise<void> {
  const identity = `${pid}@${hostname()}`;
  const deadline = Date.now() + timeoutMs;
  const polling = async (q: { name: string; kind: 'workflow' | 'activity' }) => {
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: q.name },
      taskQueueType: q.kind === 'workflow' ? WORKFLOW : ACTIVITY,
    });
    return (res.pollers ?? []).some((p) => p.identity === identity);
  };
  while (Date.now() < deadline) {
    const ready = await Promise.all(queues.map(polling));
    if (ready.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`worker ${identity} did not poll ${queues.map((q) => q.name).join(', ')} in time`);
}
