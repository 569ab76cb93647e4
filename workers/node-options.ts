/**
 * Node options for a worker process. V8 lets the heap grow far past what a worker keeps alive and
 * returns little of it: under a 100,000-recipient stage the worker's peak resident memory climbed to
 * 327 MB with the defaults. The young generation is capped at 4 MiB semi-spaces (3 × 16 MiB by
 * default) and the old generation at 160 MiB, which collects sooner at a few percent more CPU; a
 * worker's live heap is far smaller (delivery workers run at most DELIVERY_PAGES_PER_WORKER (default 16) pages of
 * 500 recipients). Every way of starting workers uses it: `npm run start:worker`, `npm run dev`,
 * the benchmark and chaos runs.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=4 --max-old-space-size=160';

/** The environment for a worker child: NODE_OPTIONS with the worker's options added. */
export function withWorkerNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, WORKER_NODE_OPTIONS].filter(Boolean).join(' ') };
}
