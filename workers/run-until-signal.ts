import type { Worker } from '@temporalio/worker';

/** Runs workers until SIGINT/SIGTERM (the SDK shuts them down gracefully), then releases clients. */
export async function runUntilSignal(workers: Worker[], release: () => Promise<void>) {
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await release();
  }
}
