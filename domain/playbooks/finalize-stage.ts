import type { CampaignDefinition } from '../campaign-schema';
import type { ChannelPolicy } from '../channels';
import type { Content, LocalizedMessage } from '../content-schema';
import { LOCALES } from '../content-schema';
import type { Issue } from '../definition-error';
import type { ResolvedStage } from '../resolved-stage';
import { stageTemplateContent, type TemplateOverrides, type TemplateRef } from '../stage-templates';
import type { DraftStage } from './types';

const DEFAULT_CHANNEL: ChannelPolicy = 'sms_then_email';

/** Completes one locale for the channel; problems are reported under `path`. */
function completeLocale(
  message: LocalizedMessage,
  channel: ChannelPolicy,
  title: string,
  path: string,
  issues: Issue[],
): LocalizedMessage {
  if (message.sms === undefined && message.body === undefined) {
    issues.push({
      path: `${path}.${channel === 'email' ? 'body' : 'sms'}`,
      message: 'required: a subject alone sends nothing',
    });
    return message;
  }
  // Under sms_then_email or both a locale may be email-only; under sms it needs the SMS text.
  if (channel === 'sms' && message.sms === undefined)
    issues.push({ path: `${path}.sms`, message: 'required for channel sms' });
  if (channel === 'sms') return message;
  // Email needs a subject; the campaign title is a better default than a blank one.
  return { ...message, subject: message.subject ?? title, body: message.body ?? message.sms };
}

/**
 * Fills a scheduled draft from the campaign's content, action and audience. Content: the stage's
 * own, else the campaign's, else the stage's prewritten template (the organization's replacement
 * when it has one), its launch fields filled now, so the campaign keeps this text whatever later
 * releases or the organization change.
 */
export function finalizeStage(
  draft: DraftStage & { scheduledAt: string },
  def: CampaignDefinition,
  issues: Issue[],
  templates?: TemplateOverrides,
): ResolvedStage | undefined {
  const channel = draft.channel ?? DEFAULT_CHANNEL;
  let source = draft.content ?? def.content;
  let template: TemplateRef | undefined;
  if (!source) {
    const prewritten = stageTemplateContent(def, draft, templates);
    source = prewritten?.content;
    template = prewritten?.ref;
  }
  if (!source) {
    issues.push({
      path: draft.contentPath ?? 'content',
      message: `required: stage ${draft.key} has no content and the campaign gives none`,
    });
    return undefined;
  }
  const contentPath = draft.content ? (draft.contentPath ?? 'content') : 'content';
  const content: Content = {};
  for (const locale of LOCALES) {
    const message = source[locale];
    if (message)
      content[locale] = completeLocale(message, channel, def.title, `${contentPath}.${locale}`, issues);
  }
  const stageTags = draft.audience?.tags ?? {};
  const action = draft.action ?? def.action;
  return {
    key: draft.key,
    scheduledAt: draft.scheduledAt,
    at: draft.at!,
    audience: {
      select: draft.audience?.select ?? 'all',
      // The stage's own narrowing; audienceRule applies it within the campaign's audience, never instead of it.
      tags: { include: [...(stageTags.include ?? [])], exclude: [...(stageTags.exclude ?? [])] },
    },
    channel,
    content,
    ...(action ? { action } : {}),
    ...(draft.condition ? { condition: draft.condition } : {}),
    ...(draft.escalation ? { escalation: draft.escalation } : {}),
    ...(template ? { template } : {}),
    source: draft.source,
  };
}
