import type { CampaignDefinition } from '../../../domain/campaign-schema';
import type { ChannelPolicy } from '../../../domain/channels';
import type { Content } from '../../../domain/content-schema';
import { parseDuration } from '../../../domain/duration';
import { PLAYBOOKS } from '../../../domain/playbooks';
import type { StageTiming } from '../../../domain/stage-schema';
import {
  stageTemplateContent,
  type TemplateOverrides,
  type TemplateRef,
} from '../../../domain/stage-templates';
import type { PlaybookKind } from './playbook-form';

/** One stage of a playbook as the new-campaign form lists it, with its prewritten text. */
export interface OutlineStage {
  key: string;
  at: StageTiming;
  audience: string;
  channel: ChannelPolicy;
  /** The template text, launch fields filled from the form as it stands. */
  template?: Content;
  templateRef?: TemplateRef;
}

const UNITS: Array<[number, string]> = [
  [604_800_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** `P3D` → `3 days`, `PT0S` → `0 minutes`. */
export function humanDuration(iso: string): string {
  let ms: number;
  try {
    ms = parseDuration(iso);
  } catch {
    return iso;
  }
  for (const [size, unit] of UNITS)
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  return ms === 0 ? 'no time' : iso;
}

/** When a stage fires, in words: `at launch`, `3 days after launch`, `30 days before electionDate`. */
export function timingLabel(at: StageTiming): string {
  if ('at' in at) return `at ${at.at.replace('T', ' ').replace(/:00(\.000)?Z$/, ' UTC')}`;
  if ('before' in at)
    return parseDuration(at.before) === 0
      ? `on ${at.anchor}`
      : `${humanDuration(at.before)} before ${at.anchor}`;
  if (parseDuration(at.after) === 0) return at.anchor ? `on ${at.anchor}` : 'at launch';
  return `${humanDuration(at.after)} after ${at.anchor ?? 'launch'}`;
}

/**
 * The stages a playbook makes from the form as it stands (before it is valid: a bad number keeps
 * the default), each with its template text in the organization's wording.
 */
export function playbookOutline(
  kind: PlaybookKind,
  body: Record<string, unknown>,
  overrides: TemplateOverrides,
): OutlineStage[] {
  const params = { ...((body.params as Record<string, unknown> | undefined) ?? {}) };
  if (!(Number.isInteger(params.weeks) && (params.weeks as number) >= 1 && (params.weeks as number) <= 52))
    delete params.weeks;
  for (const k of ['followUpAfter', 'escalationAfter', 'reportAfter', 'askEvery'])
    if (typeof params[k] !== 'string') delete params[k];
  const def = {
    ...body,
    kind,
    title: (body.title as string | undefined) ?? '',
    params,
  } as CampaignDefinition;
  let drafts: ReturnType<(typeof PLAYBOOKS)[PlaybookKind]>['stages'];
  try {
    drafts = PLAYBOOKS[kind](def).stages;
  } catch {
    drafts = PLAYBOOKS[kind]({ kind, title: def.title } as CampaignDefinition).stages;
  }
  return drafts.map((d) => {
    const prewritten = stageTemplateContent(def, d, overrides);
    return {
      key: d.key,
      at: d.at ?? { after: 'PT0S' },
      audience: d.audience?.select ?? 'all',
      channel: d.channel ?? 'sms_then_email',
      ...(prewritten ? { template: prewritten.content, templateRef: prewritten.ref } : {}),
    };
  });
}
