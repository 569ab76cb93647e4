import { z } from 'zod';
import { AUDIENCE_SELECTS } from './audience-schema';
import { caseRef, fiOfStageKey } from './case-sheet';
import { channelPolicySchema } from './channels';
import type { LocalizedContent } from './content-schema';
import { ESCALATION_STEPS } from './stage-schema';

/**
 * `campaigns.definition` as stored: the expanded definition of launch (domain/resolved-stage.ts
 * ExpandedCampaign), later edited in place (a stage's time and content). Every reader parses it
 * with this one schema (`parseStoredDefinition`). Objects are loose: a field a newer version adds
 * passes through a read-modify-write untouched, and a row an older version wrote still parses.
 */
const storedMessageSchema = z.looseObject({
  sms: z.string().optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
});
const storedContentSchema = z.looseObject({
  en: storedMessageSchema.optional(),
  km: storedMessageSchema.optional(),
});
const storedActionSchema = z.looseObject({
  url: z.string().optional(),
  targets: z
    .array(z.looseObject({ name: z.string(), title: z.string().optional(), email: z.string().optional() }))
    .optional(),
});
const storedTagsSchema = z.looseObject({
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
});
const storedStageSchema = z.looseObject({
  key: z.string(),
  /** RFC 3339 UTC instant the stage was planned for (edits move it). */
  scheduledAt: z.string(),
  audience: z.looseObject({ select: z.enum(AUDIENCE_SELECTS), tags: storedTagsSchema.optional() }),
  channel: channelPolicySchema,
  content: storedContentSchema.optional(),
  action: storedActionSchema.optional(),
  condition: z
    .looseObject({ actionRateBelow: z.number().optional(), targetsPending: z.array(z.string()).optional() })
    .optional(),
  escalation: z
    .looseObject({
      ifActionRateBelow: z.number(),
      // biome-ignore lint/suspicious/noThenProperty: the stored escalation names its step `then`, as the API does
      then: z.enum(ESCALATION_STEPS),
      widenTo: z.looseObject({ tags: storedTagsSchema }).optional(),
    })
    .optional(),
});

export const storedDefinitionSchema = z.looseObject({
  kind: z.string(),
  title: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  launchAt: z.string().optional(),
  /** The campaign's audience: every stage and case update selects within it (domain/audience-rule.ts). */
  audience: z.looseObject({ tags: storedTagsSchema.optional() }).optional(),
  content: storedContentSchema.optional(),
  action: storedActionSchema.optional(),
  options: z.looseObject({ quietHours: z.boolean().optional() }).optional(),
  /** A case_alert's case sheet: uaNumber and appealBy are read here (the rest travels as stored). */
  case: z.looseObject({ uaNumber: z.string().optional(), appealBy: z.string().optional() }).optional(),
  stages: z.array(storedStageSchema).optional(),
});

/**
 * The parsed shape without the loose objects' index signatures: what the code may read is what the
 * schema names (the unnamed rest still travels at run time, see above).
 */
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: 0 };
type Named<T> = T extends readonly (infer U)[]
  ? Named<U>[]
  : T extends object
    ? [NamedKeys<T>] extends [never]
      ? T // a record (params): keys are data, not names
      : { [K in keyof T as string extends K ? never : K]: Named<T[K]> }
    : T;

export type StoredDefinition = Named<z.infer<typeof storedDefinitionSchema>>;
export type StoredStage = NonNullable<StoredDefinition['stages']>[number];

/** Parses a stored definition; a row that does not fit throws, naming the path (never the content). */
export function parseStoredDefinition(value: unknown): StoredDefinition {
  const parsed = storedDefinitionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
  throw new Error(`stored campaign definition does not parse: ${where}`);
}

/** What a stage run sends, frozen when the run starts. */
export interface StageRunContent {
  content: LocalizedContent;
  action: NonNullable<StoredDefinition['action']>;
  vars: { caseName?: string; caseNumber?: string; uaNumber?: string; caseRef?: string };
  quietHours: boolean;
  /** The campaign's case sheet when it has one (activities/email/case-essentials.ts reads it). */
  case?: unknown;
  /** A monitoring round: its email's button opens the survey's form page (`/a/<token>`). */
  surveyForm?: true;
}

export function stageRunContent(
  def: StoredDefinition,
  stageKey: string,
  override?: LocalizedContent,
): StageRunContent {
  const stage = def.stages?.find((s) => s.key === stageKey);
  const params = def.params ?? {};
  return {
    content: override ?? stage?.content ?? def.content ?? {},
    action: stage?.action ?? def.action ?? {},
    vars: {
      caseName: typeof params.caseName === 'string' ? params.caseName : undefined,
      caseNumber: typeof params.caseNumber === 'string' ? params.caseNumber : undefined,
      uaNumber: def.case?.uaNumber,
      // Further Information N for the case update `update-N` (the closure `closure-N` is the last FI).
      caseRef: def.case?.uaNumber ? caseRef(def.case.uaNumber, fiOfStageKey(stageKey)) : undefined,
    },
    quietHours: def.options?.quietHours !== false,
    ...(def.case !== undefined ? { case: def.case } : {}),
    ...(def.kind === 'monitoring' && /^round-\d+$/.test(stageKey) ? { surveyForm: true as const } : {}),
  };
}
