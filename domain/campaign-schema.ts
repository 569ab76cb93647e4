import { z } from 'zod';
import { actionSchema } from './action-schema';
import { CASE_UPDATE_AUDIENCES, campaignAudienceSchema } from './audience-schema';
import { caseSheetSchema } from './case-sheet';
import { contentSchema } from './content-schema';
import { paramsSchema } from './params-schema';
import { stageSchema } from './stage-schema';
import { surveySchema } from './survey-schema';
import { rfc3339Schema } from './time-schemas';

export const CAMPAIGN_KINDS = [
  'case_alert',
  'election_boycott',
  'sanctions_lobbying',
  'custom',
  'monitoring',
] as const;
export const campaignKindSchema = z.enum(CAMPAIGN_KINDS);

export const campaignOptionsSchema = z.strictObject({
  /** SMS only inside each supporter's sending window (default true). */
  quietHours: z.boolean().optional(),
  /** Thank supporters who reply DONE, once each (default: the organization's setting, itself off by default). */
  doneThankYou: z.boolean().optional(),
});

/** Body of POST /v1/campaigns (and of a partner's campaign.start webhook). */
export const campaignDefinitionSchema = z
  .strictObject({
    kind: campaignKindSchema,
    title: z.string().trim().min(1).max(200),
    params: paramsSchema.optional(),
    content: contentSchema.optional(),
    action: actionSchema.optional(),
    /** case_alert: the Urgent Action case sheet (domain/case-sheet.ts). */
    case: caseSheetSchema.optional(),
    audience: campaignAudienceSchema.optional(),
    stages: z.array(stageSchema).max(100).optional(),
    launchAt: rfc3339Schema.optional(),
    options: campaignOptionsSchema.optional(),
    /** kind monitoring: the survey its rounds ask (domain/survey-schema.ts). */
    survey: surveySchema.optional(),
  })
  .superRefine((def, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const params = def.params ?? {};
    if (def.kind === 'custom' && (def.stages ?? []).length === 0)
      issue(['stages'], 'required for kind custom: give at least one stage');
    // A case sheet names the person(s): caseName defaults to them (domain/case-targets.ts).
    if (def.kind === 'case_alert' && params.caseName === undefined && !def.case?.persons?.length)
      issue(['params', 'caseName'], 'required for kind case_alert (or give case.persons)');
    if (def.case !== undefined && def.kind !== 'case_alert') issue(['case'], 'only for kind case_alert');
    const targetKeys = new Map<string, number>();
    (def.action?.targets ?? []).forEach((t, i) => {
      if (t.key === undefined) return;
      const first = targetKeys.get(t.key);
      if (first !== undefined)
        issue(['action', 'targets', i, 'key'], `duplicate key (also action.targets.${first}.key)`);
      else targetKeys.set(t.key, i);
    });
    if (def.kind === 'monitoring' && def.survey === undefined)
      issue(['survey'], 'required for kind monitoring');
    if (def.kind !== 'monitoring' && def.survey !== undefined)
      issue(['survey'], 'only monitoring campaigns have a survey');
    if (def.kind === 'election_boycott' && params.electionDate === undefined)
      issue(['params', 'electionDate'], 'required for kind election_boycott');
    if ((def.kind === 'case_alert' || def.kind === 'sanctions_lobbying') && def.action === undefined)
      issue(['action'], `required for kind ${def.kind}: supporters are asked to act`);
    if (params.weeks !== undefined && (params.weeklyTargets?.length ?? 0) > params.weeks)
      issue(
        ['params', 'weeklyTargets'],
        `lists ${params.weeklyTargets?.length} weeks but params.weeks is ${params.weeks}`,
      );
    const seen = new Map<string, number>();
    (def.stages ?? []).forEach((stage, i) => {
      const first = seen.get(stage.key);
      if (first !== undefined) issue(['stages', i, 'key'], `duplicate key (also stages.${first}.key)`);
      else seen.set(stage.key, i);
      const anchor = stage.at && 'anchor' in stage.at ? stage.at.anchor : undefined;
      if (anchor !== undefined && typeof params[anchor] !== 'string')
        issue(['stages', i, 'at', 'anchor'], `params.${anchor} is not set`);
    });
  });

/** How a case ends: the closure's resolution. */
export const RESOLUTIONS = ['released', 'acquitted', 'dropped', 'closed'] as const;

/** POST /v1/campaigns/:id/case-updates: "further information", or closure when a resolution is given. */
export const caseUpdateSchema = z.strictObject({
  content: contentSchema,
  audience: z
    .enum(CASE_UPDATE_AUDIENCES)
    .describe(
      "Within the campaign's audience (its tags, plus any widening that fired): recipients = those the campaign reached; acted = those who acted; all = everyone in it, reached yet or not",
    ),
  resolution: z.enum(RESOLUTIONS).optional(),
});

export type CampaignKind = z.infer<typeof campaignKindSchema>;
export type CampaignOptions = z.infer<typeof campaignOptionsSchema>;
/** A validated definition; parse with campaignDefinitionSchema (types of absent defaults stay optional). */
export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;
export type CaseUpdate = z.infer<typeof caseUpdateSchema>;
export type Resolution = (typeof RESOLUTIONS)[number];
