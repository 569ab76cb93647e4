// Shared by workflows (which route activities) and workers (which poll): one queue per channel
// so each provider's rate limit is enforced on its own queue.
export const TASK_QUEUES = {
  orchestrator: 'campaigns',
  sms: 'delivery-sms',
  email: 'delivery-email',
  /** Monitoring surveys: follow-up questions, re-asks and reminders (small, latency-bound batches). */
  survey: 'survey-conversations',
} as const;

/**
 * Recipients per delivery activity: the history grows with pages, not with recipients. Workers
 * derive their per-queue activity rate from it (provider messages per second / PAGE_SIZE).
 */
export const PAGE_SIZE = 500;
