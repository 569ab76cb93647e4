import type { AudienceRule } from '../domain/audience-rule';
import type { AudienceSelect } from '../domain/audience-schema';
import { REACHED_STATUSES } from '../domain/delivery-status';
import type { Sql } from './client';

/**
 * SQL condition on `supporters s` for the tag part of an audience rule (domain/audience-rule.ts):
 * not erased, in the campaign's audience or a fired widening, narrowed by the stage's tags, and
 * carrying none of the excluded tags. The one translation of the rule to SQL.
 */
export function audienceTagsWhere(sql: Sql, rule: Omit<AudienceRule, 'select'>) {
  const campaign =
    rule.campaignInclude.length > 0 ? sql`s.tags && ${rule.campaignInclude}::text[]` : sql`true`;
  const reach = rule.widenedTo.reduce(
    (acc, w) => sql`${acc} or (s.tags && ${w.include}::text[] and not (s.tags && ${w.exclude}::text[]))`,
    sql`(${campaign})`,
  );
  const stage = rule.stageInclude.length > 0 ? sql`s.tags && ${rule.stageInclude}::text[]` : sql`true`;
  return sql`s.erased_at is null and (${reach}) and ${stage} and not (s.tags && ${rule.exclude}::text[])`;
}

/** SQL condition on `supporters s` for what a supporter did in this campaign (the rule's `select`). */
export function selectWhere(sql: Sql, select: AudienceSelect, campaignId: string) {
  const acted = sql`exists (select 1 from action_events a
      where a.campaign_id = ${campaignId} and a.supporter_id = s.id and a.kind = 'done')`;
  switch (select) {
    case 'all':
      return sql`true`;
    case 'acted':
      return acted;
    case 'not_acted':
      return sql`not ${acted}`;
    case 'recipients':
      // Received any stage of the campaign (case updates go to "those who received the original").
      return sql`exists (select 1 from deliveries d join stage_runs r on r.id = d.stage_run_id
          where r.campaign_id = ${campaignId} and r.kind = 'stage' and d.supporter_id = s.id
            and d.status in ${sql(REACHED_STATUSES)})`;
  }
}
