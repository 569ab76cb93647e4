import { type CampaignDefinition, type CampaignKind, campaignDefinitionSchema } from '../campaign-schema';
import { caseIssues, withCaseDefaults } from '../case-targets';
import { DefinitionError, type Issue, issuesFromZod } from '../definition-error';
import type { ExpandedCampaign, ResolvedStage } from '../resolved-stage';
import { launchTime, resolveSchedule, type ScheduleOptions } from '../schedule';
import type { TemplateOverrides } from '../stage-templates';
import { caseAlertStages } from './case-alert';
import { customStages } from './custom';
import { electionBoycottStages, electionWindowIssues } from './election-boycott';
import { finalizeStage } from './finalize-stage';
import { mergeStages } from './merge-stages';
import { monitoringStages } from './monitoring';
import { sanctionsLobbyingStages } from './sanctions-lobbying';
import type { PlaybookStages } from './types';

export { PLAYBOOK_DEFAULTS } from './defaults';

export const PLAYBOOKS: Record<CampaignKind, (def: CampaignDefinition) => PlaybookStages> = {
  case_alert: caseAlertStages,
  election_boycott: electionBoycottStages,
  sanctions_lobbying: sanctionsLobbyingStages,
  custom: customStages,
  monitoring: monitoringStages,
};

function fail(issues: Issue[]): never {
  throw new DefinitionError(issues);
}

/** When and with whose texts: `templates` are the organization's replacements of the prewritten stage texts. */
export interface ExpandOptions extends ScheduleOptions {
  templates?: TemplateOverrides;
}

/**
 * Validates a campaign definition and turns it into the stages to run: the playbook's defaults
 * overridden by the request's stages, placed in time, sorted, with content, action and audience
 * filled from the campaign (content from the prewritten templates where neither the stage nor the
 * campaign gives any). Pure: `now` is a parameter. Throws DefinitionError naming each bad field.
 */
export function expandDefinition(input: unknown, opts: ExpandOptions): ExpandedCampaign {
  const parsed = campaignDefinitionSchema.safeParse(input);
  if (!parsed.success) fail(issuesFromZod(parsed.error));
  const def = withCaseDefaults(parsed.data);
  const playbook = PLAYBOOKS[def.kind](def);
  if (playbook.issues.length > 0) fail(playbook.issues);
  const drafts = mergeStages(playbook.stages, def.stages);
  const scheduled = resolveSchedule({ stages: drafts, params: def.params, launchAt: def.launchAt }, opts);
  const issues: Issue[] = [...caseIssues(def, new Date(opts.now))];
  let windowEnd: string | undefined;
  if (def.kind === 'election_boycott') {
    const window = electionWindowIssues(scheduled);
    windowEnd = window.windowEnd;
    issues.push(...window.issues);
  }
  const stages = scheduled
    .map((draft) => finalizeStage(draft, def, issues, opts.templates))
    .filter((s): s is ResolvedStage => s !== undefined);
  if (issues.length === 0 && stages.length === 0)
    issues.push({ path: 'stages', message: 'no stage is left to send after launch' });
  if (issues.length > 0) fail(issues);
  const kept = new Set(stages.map((s) => s.key));
  return {
    kind: def.kind,
    title: def.title,
    params: def.params ?? {},
    launchAt: new Date(launchTime(def, opts).launch).toISOString(),
    options: { quietHours: def.options?.quietHours ?? true },
    audience: {
      tags: { include: def.audience?.tags?.include ?? [], exclude: def.audience?.tags?.exclude ?? [] },
    },
    ...(def.content ? { content: def.content } : {}),
    ...(def.action ? { action: def.action } : {}),
    ...(def.survey ? { survey: def.survey } : {}),
    ...(def.case ? { case: def.case } : {}),
    stages,
    dropped: drafts
      .filter((d) => !kept.has(d.key))
      .map((d) => ({ key: d.key, reason: 'past_at_launch' as const })),
    ...(windowEnd ? { windowEnd } : {}),
  };
}

export type ExpandResult = { ok: true; campaign: ExpandedCampaign } | { ok: false; issues: Issue[] };

/** expandDefinition without throwing, for callers that answer with a problem+json body. */
export function tryExpandDefinition(input: unknown, opts: ExpandOptions): ExpandResult {
  try {
    return { ok: true, campaign: expandDefinition(input, opts) };
  } catch (err) {
    if (err instanceof DefinitionError) return { ok: false, issues: err.issues };
    throw err;
  }
}
