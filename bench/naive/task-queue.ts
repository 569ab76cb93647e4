/** The naive variant's own queue, so its worker never takes the service's tasks. */
export const NAIVE_TASK_QUEUE = 'bench-naive';
