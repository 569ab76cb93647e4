import type { CampaignDefinition, CampaignKind, Resolution } from '../campaign-schema';
import { type Content, LOCALES, type Locale } from '../content-schema';
import type { StageTiming } from '../stage-schema';
import { CASE_ALERT_TEMPLATES } from './case-alert';
import { ELECTION_BOYCOTT_TEMPLATES } from './election-boycott';
import { fillLaunchFields, launchValues } from './launch-fields';
import { SANCTIONS_LOBBYING_TEMPLATES } from './sanctions-lobbying';
import type { StageTemplate, TemplateMessage, TemplateOverrides, TemplateRef } from './types';

export { LAUNCH_FIELDS } from './launch-fields';
export { MONITORING_TEXTS } from './monitoring';
export type {
  StageTemplate,
  TemplateMessage,
  TemplateOverride,
  TemplateOverrides,
  TemplateRef,
} from './types';

/** Every repository template, by id (`case_alert/follow-up`). */
export const STAGE_TEMPLATES: ReadonlyMap<string, StageTemplate> = new Map(
  [...CASE_ALERT_TEMPLATES, ...ELECTION_BOYCOTT_TEMPLATES, ...SANCTIONS_LOBBYING_TEMPLATES].map((t) => [
    t.id,
    t,
  ]),
);

/**
 * The template a playbook stage uses, by its key: `t-30d` has its own, any other countdown reminder
 * the generic one; sanctions week 1 has its own, later weeks share one. Custom stages have none.
 */
export function templateIdFor(kind: CampaignKind, stageKey: string): string | undefined {
  const own = `${kind}/${stageKey}`;
  if (STAGE_TEMPLATES.has(own)) return own;
  if (kind === 'election_boycott' && /^t-/.test(stageKey)) return 'election_boycott/countdown';
  if (kind === 'sanctions_lobbying' && /^week-\d+$/.test(stageKey)) return 'sanctions_lobbying/week';
  return undefined;
}

/** The template of a case update: Further Information, or the closure of a resolution. */
export const caseUpdateTemplateId = (resolution?: Resolution) =>
  resolution ? `case_alert/closure-${resolution}` : 'case_alert/further-information';

/** A template as an organization has it: the repository's text with the organization's parts over it. */
export function effectiveTemplate(
  id: string,
  overrides: TemplateOverrides = {},
): { content: Record<Locale, TemplateMessage>; ref: TemplateRef } | undefined {
  const base = STAGE_TEMPLATES.get(id);
  if (!base) return undefined;
  const own = overrides[id];
  if (!own) return { content: base.content, ref: { id, version: base.version, origin: 'repository' } };
  const content = Object.fromEntries(
    LOCALES.map((l) => [l, { ...base.content[l], ...own.content[l] }]),
  ) as Record<Locale, TemplateMessage>;
  return { content, ref: { id, version: own.revision, origin: 'organization' } };
}

/**
 * A stage's template text with the campaign's launch fields filled (per language), or undefined
 * when the stage has no template. What a stage without content of its own sends.
 */
export function stageTemplateContent(
  def: Pick<CampaignDefinition, 'kind' | 'title' | 'params' | 'case' | 'action'>,
  stage: { key: string; at?: StageTiming },
  overrides?: TemplateOverrides,
  id = templateIdFor(def.kind, stage.key),
): { content: Content; ref: TemplateRef } | undefined {
  const template = id ? effectiveTemplate(id, overrides) : undefined;
  if (!template) return undefined;
  const values = launchValues(def, stage);
  const hasAction = def.action !== undefined || def.case !== undefined;
  const content: Content = {};
  for (const locale of LOCALES) {
    const m = template.content[locale];
    const fill = (text: string) => fillLaunchFields(text, locale, values, { hasAction });
    content[locale] = { sms: fill(m.sms), subject: fill(m.subject), body: fill(m.body) };
  }
  return { content, ref: template.ref };
}
