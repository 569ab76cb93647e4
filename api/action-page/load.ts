import { getCampaign } from '../../db/campaigns';
import type { Sql } from '../../db/client';
import { lettersSentBy } from '../../db/letters';
import { findLink, type LinkTarget } from '../../db/links';
import { getSupporter } from '../../db/supporters';
import type { Target } from '../../domain/action-schema';
import { isTerminalCampaignStatus } from '../../domain/campaign-status';
import { appealByInstant, type CaseSheet } from '../../domain/case-sheet';
import { type KeyedTarget, withTargetKeys } from '../../domain/case-targets';

// Tokens are base64url HMACs (activities/links.ts); anything else is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** Everything the action page and the letter route need for one supporter link. */
export interface ActionContext {
  token: string;
  link: LinkTarget;
  campaign: { id: string; title: string; status: string; orgName: string };
  case?: CaseSheet;
  caseName?: string;
  targets: KeyedTarget[];
  /** The stage's external action URL, if the campaign gives one. */
  externalUrl?: string;
  /** Whether the appeal still takes letters (campaign running, appeal-by not past). */
  open: boolean;
  /** Target keys this supporter has already written to. */
  written: Set<string>;
  supporter: { name: string | null; email: string | null; phone: string | null };
}

interface StoredCampaign {
  case?: CaseSheet;
  params?: { caseName?: string };
  action?: { url?: string; targets?: Target[] };
}

/**
 * Whether a link opens the hosted action page: its campaign has a case sheet, or targets with an
 * email to write to. A campaign that gives only an external URL keeps the 302.
 */
export const hostsActionPage = (ctx: Pick<ActionContext, 'case' | 'targets'>) =>
  ctx.case !== undefined || ctx.targets.some((t) => t.email !== undefined);

/** The context behind a token, or undefined (unknown token, or a cancelled campaign: the link expired). */
export async function loadActionContext(
  sql: Sql,
  token: string,
  now: Date,
): Promise<ActionContext | undefined> {
  const link = TOKEN.test(token) ? await findLink(sql, token) : undefined;
  if (!link) return undefined;
  const row = await getCampaign(sql, link.orgId, link.campaignId);
  if (!row || row.status === 'cancelled') return undefined;
  const def = row.definition as StoredCampaign;
  const [stage] = await sql<{ action: { url?: string; targets?: Target[] } | null }[]>`
    select content -> 'action' as action from stage_runs where id = ${link.stageRunId} and org_id = ${link.orgId}`;
  const targets = withTargetKeys(stage?.action?.targets ?? def.action?.targets ?? []);
  const [org] = await sql<{ name: string }[]>`select name from organizations where id = ${link.orgId}`;
  const supporter = await getSupporter(sql, link.orgId, link.supporterId);
  const appealOpen = !def.case?.appealBy || Date.parse(appealByInstant(def.case.appealBy)) > now.getTime();
  return {
    token,
    link,
    campaign: { id: row.id, title: row.title, status: row.status, orgName: org?.name ?? '' },
    ...(def.case ? { case: def.case } : {}),
    ...(def.params?.caseName ? { caseName: def.params.caseName } : {}),
    targets,
    ...(link.actionUrl ? { externalUrl: link.actionUrl } : {}),
    open: appealOpen && !isTerminalCampaignStatus(row.status as never),
    written: await lettersSentBy(sql, link),
    supporter: {
      name: supporter?.name ?? null,
      email: supporter?.email ?? null,
      phone: supporter?.phone ?? null,
    },
  };
}
