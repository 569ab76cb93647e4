import { caseRef, fiOfStageKey } from './case-sheet';
import type { LocalizedContent } from './content-schema';

/** The part of campaigns.definition that activities read: content and action per stage. */
export interface StoredDefinition {
  params?: Record<string, unknown>;
  /** The campaign's audience: every stage and case update selects within it (domain/audience-rule.ts). */
  audience?: { tags?: { include?: string[]; exclude?: string[] } };
  content?: LocalizedContent;
  action?: { url?: string; targets?: Array<{ name: string; title?: string; email?: string }> };
  options?: { quietHours?: boolean };
  /** case_alert with a case sheet (domain/case-sheet.ts); only uaNumber is read here. */
  case?: { uaNumber?: string };
  stages?: Array<{
    key: string;
    scheduledAt?: string;
    content?: LocalizedContent;
    action?: StoredDefinition['action'];
  }>;
}

/** What a stage run sends, frozen when the run starts. */
export interface StageRunContent {
  content: LocalizedContent;
  action: NonNullable<StoredDefinition['action']>;
  vars: { caseName?: string; caseNumber?: string; uaNumber?: string; caseRef?: string };
  quietHours: boolean;
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
  };
}
