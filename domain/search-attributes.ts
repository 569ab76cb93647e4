import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The Temporal search attributes a campaign workflow carries (all Keyword): the API sets them at
 * start, the workflow keeps `CampaignStatus` current, and the dev/test servers register them.
 * Ids and vocabulary words only; never a contact detail or free text.
 */
export const CampaignKindKey = defineSearchAttributeKey('CampaignKind', SearchAttributeType.KEYWORD);
export const OrgIdKey = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const CampaignStatusKey = defineSearchAttributeKey('CampaignStatus', SearchAttributeType.KEYWORD);

/** Every key above, for servers that must register them before a workflow starts. */
export const SEARCH_ATTRIBUTE_KEYS = [CampaignKindKey, OrgIdKey, CampaignStatusKey] as const;
