import { describe, expect, it } from 'vitest';
import { audienceRule } from '../../../domain/audience-rule';

describe('audienceRule', () => {
  it("selects the campaign's audience when the stage does not narrow it", () => {
    expect(audienceRule({ include: ['lowell'], exclude: ['at-risk'] }, { select: 'all' })).toEqual({
      select: 'all',
      campaignInclude: ['lowell'],
      stageInclude: [],
      exclude: ['at-risk'],
      widenedTo: [],
    });
  });

  it('reaches everyone in the organization only when neither campaign nor stage names a tag', () => {
    expect(audienceRule(undefined, { select: 'recipients' })).toEqual({
      select: 'recipients',
      campaignInclude: [],
      stageInclude: [],
      exclude: [],
      widenedTo: [],
    });
  });

  it("narrows by the stage's tags within the campaign's, and adds up exclusions without repeats", () => {
    const rule = audienceRule(
      { include: ['lowell', 'boston'], exclude: ['at-risk'] },
      { select: 'not_acted', tags: { include: ['students'], exclude: ['at-risk', 'staff'] } },
    );
    expect([rule.campaignInclude, rule.stageInclude]).toEqual([['lowell', 'boston'], ['students']]);
    expect(rule.exclude).toEqual(['at-risk', 'staff']);
  });

  it('adds only the widenings that name tags; their own exclusions narrow only them', () => {
    const rule = audienceRule({ include: ['lowell'] }, { select: 'not_acted' }, [
      { include: ['partners'], exclude: ['press'] },
      { include: [] },
    ]);
    expect(rule.widenedTo).toEqual([{ include: ['partners'], exclude: ['press'] }]);
    expect(rule.exclude).toEqual([]);
    expect(rule.campaignInclude).toEqual(['lowell']);
  });
});
