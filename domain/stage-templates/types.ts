import type { Locale } from '../content-schema';

/** One language's prewritten message: SMS text, email subject and email body (plain text). */
export interface TemplateMessage {
  sms: string;
  subject: string;
  body: string;
}

/**
 * A prewritten stage text in both languages. `id` names the stage it writes for
 * (`case_alert/follow-up`, `election_boycott/countdown`); `version` goes up whenever the text
 * changes, and the version a campaign launched with is recorded on its stages.
 */
export interface StageTemplate {
  id: string;
  version: number;
  /** What the stage is for, shown beside the template in the console. */
  purpose: string;
  content: Record<Locale, TemplateMessage>;
}

/** Which template text a stage launched with (stored on the stage in the campaign definition). */
export interface TemplateRef {
  id: string;
  /** The repository template's version, or the organization override's revision. */
  version: number;
  origin: 'repository' | 'organization';
}

/** An organization's replacement of one template: each given part replaces the repository's. */
export interface TemplateOverride {
  content: Partial<Record<Locale, Partial<TemplateMessage>>>;
  revision: number;
}

/** An organization's replacements, by template id. */
export type TemplateOverrides = Readonly<Record<string, TemplateOverride>>;
