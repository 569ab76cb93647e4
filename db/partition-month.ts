import type { Queryable } from './queryable';

/**
 * The partition key of rows in the month-partitioned tables (migration 017), as SQL fragments for an
 * insert's values. Each is a scalar subquery by primary key, run once per statement (an InitPlan),
 * and null when the parent does not exist: the column is NOT NULL, so such an insert fails as the
 * foreign key made it fail before.
 *
 * - deliveries.month: its stage run's month (stage_runs.month, UTC, fixed at creation);
 * - action_events.month: its campaign's month (campaigns.month).
 */
export function stageRunMonth(sql: Queryable, stageRunId: string) {
  return sql`select month from stage_runs where id = ${stageRunId}::uuid`;
}

/** See `stageRunMonth`. */
export function campaignMonth(sql: Queryable, campaignId: string) {
  return sql`select month from campaigns where id = ${campaignId}::uuid`;
}
