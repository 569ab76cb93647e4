import type { ClusterStack } from '../infra/cluster/stack';

/** What the cluster scenarios (chaos/cluster-scenarios.ts) act on beyond the common chaos stack. */
export interface ClusterChaos {
  stack: ClusterStack;
  /** Reads every live API process's 5xx counts now (they are also polled every 300 ms). */
  refreshErrors(): Promise<void>;
}
