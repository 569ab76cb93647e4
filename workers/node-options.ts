/**
 * Node options for a worker process. V8's young generation grows to 3 × 16 MiB semi-spaces under a
 * send loop's allocation rate and stays there; 4 MiB costs a few percent more scavenging and keeps
 * the worker's peak resident memory about 40 MB lower (bench: worker_rss_peak_mb). Every way of
 * starting workers uses it: `npm run start:worker`, `npm run dev`, the benchmark and chaos runs.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=4';

/** The environment for a worker child: NODE_OPTIONS with the worker's options added. */
export function withWorkerNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, WORKER_NODE_OPTIONS].filter(Boolean).join(' ') };
}
