import type { AudienceSelect, TagFilter, TagFilterInput } from './audience-schema';

/** How a stage narrows its audience: by what supporters did in this campaign. */

/**
 * Who a stage, case update, closure or escalation may reach: THE audience rule of a campaign
 * (DESIGN.md section 6). Built only by `audienceRule`; read by the snapshot and the preview.
 *
 * A supporter is in it when they are not erased, pass `select`, carry none of `exclude`, carry a
 * tag of `stageInclude` (when the stage narrows by tags), and either carry a tag of
 * `campaignInclude` (when the campaign names any) or match one of `widenedTo` (whom a fired
 * escalation named). A stage's narrowing applies to widened supporters too: a stage for one city
 * never reaches partners elsewhere.
 */
export interface AudienceRule {
  select: AudienceSelect;
  /** The campaign's include tags: any of them; empty means the whole organization. */
  campaignInclude: string[];
  /** The stage's include tags: any of them; empty means the stage does not narrow by tags. */
  stageInclude: string[];
  /** The campaign's and the stage's exclusions: they win over every inclusion, widenings included. */
  exclude: string[];
  /** Tag filters added by widenings that fired, each with at least one include tag (its own exclude narrows only it). */
  widenedTo: TagFilter[];
}

const tags = (f: TagFilterInput | undefined): TagFilter => ({
  include: [...(f?.include ?? [])],
  exclude: [...(f?.exclude ?? [])],
});

/**
 * The campaign's audience narrowed by the stage, plus only what explicit widenings add.
 * `campaign`: the definition's `audience.tags`; `stage`: the stage's (or case update's) select and tags;
 * `widenedTo`: the `widenTo.tags` of every widening escalation that has fired, in order.
 */
export function audienceRule(
  campaign: TagFilterInput | undefined,
  stage: { select: AudienceSelect; tags?: TagFilterInput },
  widenedTo: readonly TagFilterInput[] = [],
): AudienceRule {
  const c = tags(campaign);
  const s = tags(stage.tags);
  return {
    select: stage.select,
    campaignInclude: c.include,
    stageInclude: s.include,
    exclude: [...new Set([...c.exclude, ...s.exclude])],
    widenedTo: widenedTo.map(tags).filter((w) => w.include.length > 0),
  };
}
