import type { Sql } from '../../db/client';
import { templateOverrides } from '../../db/stage-templates';
import type { Resolution } from '../../domain/campaign-schema';
import type { Content } from '../../domain/content-schema';
import type { ExpandedCampaign } from '../../domain/resolved-stage';
import { caseUpdateTemplateId, stageTemplateContent } from '../../domain/stage-templates';

/**
 * The prewritten Further Information or closure text of a case (the organization's wording where it
 * has one), launch fields filled from the stored definition; used when a case update gives no content.
 */
export async function caseUpdateTemplate(
  sql: Sql,
  orgId: string,
  definition: unknown,
  resolution?: Resolution,
): Promise<Content> {
  const def = definition as ExpandedCampaign;
  const id = caseUpdateTemplateId(resolution);
  const filled = stageTemplateContent(
    { kind: 'case_alert', title: def.title, params: def.params, case: def.case, action: def.action },
    { key: resolution ? 'closure' : 'further-information' },
    await templateOverrides(sql, orgId),
    id,
  );
  return filled!.content;
}
