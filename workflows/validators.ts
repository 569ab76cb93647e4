import { ApplicationFailure } from '@temporalio/workflow';
import type { CampaignState } from './campaign-types';
import type { CaseUpdateRequest, LocalizedContent, StageEdit } from './messages';

const PLACEHOLDERS = new Set([
  'firstName',
  'actionUrl',
  'unsubscribeUrl',
  'caseName',
  'caseNumber',
  'targets',
]);

function reject(message: string): never {
  throw ApplicationFailure.create({ message, type: 'InvalidRequest', nonRetryable: true });
}

function checkContent(content: LocalizedContent | undefined, path: string) {
  if (!content) return;
  const locales = Object.entries(content);
  if (locales.length === 0) reject(`${path}: at least one locale (en, km) is required`);
  for (const [locale, parts] of locales) {
    if (locale !== 'en' && locale !== 'km') reject(`${path}.${locale}: unknown locale`);
    for (const [field, text] of Object.entries(parts ?? {})) {
      if (typeof text !== 'string' || text.trim() === '')
        reject(`${path}.${locale}.${field}: must be non-empty text`);
      for (const m of text.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)) {
        if (!PLACEHOLDERS.has(m[1]!)) reject(`${path}.${locale}.${field}: unknown placeholder {{${m[1]}}}`);
      }
    }
  }
}

/** Runs before the Update is accepted: a rejected edit leaves no trace in history. */
export function validateStageEdit(s: CampaignState, edit: StageEdit, now: Date) {
  if (s.cancelled || ['cancelled', 'closed', 'completed'].includes(s.status)) reject('campaign has ended');
  const stage = s.stages.find((st) => st.plan.key === edit.key && st.plan.kind === 'stage');
  if (!stage) reject(`stage ${edit.key} does not exist`);
  if (stage.status !== 'pending') reject(`stage ${edit.key} has already started (${stage.status})`);
  if (edit.at === undefined && edit.content === undefined) reject('nothing to change: give at or content');
  if (edit.at !== undefined) {
    const at = Date.parse(edit.at);
    if (Number.isNaN(at)) reject('at: not an RFC 3339 time');
    if (at < now.getTime()) reject('at: is in the past');
  }
  checkContent(edit.content, 'content');
}

export function validateCaseUpdate(s: CampaignState, req: CaseUpdateRequest) {
  if (s.cancelled || ['cancelled', 'closed', 'completed'].includes(s.status)) reject('campaign has ended');
  if (s.resolution) reject('the case is already being closed');
  if (!['recipients', 'acted', 'all'].includes(req.audience))
    reject('audience: must be recipients, acted or all');
  if (!req.content) reject('content: is required');
  checkContent(req.content, 'content');
}
