import type { EmailChannel } from '../../channels/email-channel';
import { ProviderError } from '../../channels/provider-errors';
import { recordDone, recordEvent } from '../../db/action-events';
import type { Sql } from '../../db/client';
import { claimLetter, markLetterAccepted } from '../../db/letters';
import type { KeyedTarget } from '../../domain/case-targets';
import type { Identity } from '../../domain/letter';
import { escapeHtml } from '../../domain/template';

// Resend: the Idempotency-Key was already used with a different body: the first attempt went out.
const IDEMPOTENCY_CONFLICT = 'invalid_idempotent_request';

export interface LetterSendDeps {
  sql: Sql;
  email: EmailChannel;
}

/** One letter to one target, composed already: nothing of the supporter in it but the signature. */
export interface LetterToSend {
  orgId: string;
  campaignId: string;
  supporterId: string;
  stageRunId: string | null;
  identity: Identity;
  target: KeyedTarget & { email: string };
  /** `Organization name <alerts@…>`. */
  from: string;
  /** The campaign's reply address. */
  replyTo: string;
  /** The case's copies (addresses). */
  cc: string[];
  subject: string;
  /** Letter text with the signature; plain text. */
  text: string;
}

export type LetterOutcome = 'sent' | 'already_sent';

/** The Resend Idempotency-Key of a letter: one per supporter, target and case, whatever the attempt. */
export const letterIdempotencyKey = (l: Pick<LetterToSend, 'campaignId' | 'supporterId' | 'target'>) =>
  `letter:${l.campaignId}:${l.supporterId}:${l.target.key}`;

const textToHtml = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p).split('\n').join('<br>\n')}</p>`)
    .join('\n');

/**
 * Sends a letter exactly once. The row (supporter, target, case) is claimed and locked for the
 * provider call, so a concurrent attempt waits and then finds it accepted (`already_sent`). The
 * Resend Idempotency-Key is the same for every attempt, so an attempt retried after a crash between
 * the call and the commit gets the first email back instead of a second one. On acceptance the
 * action is recorded in the same transaction: a `letter` event and the supporter's `done` (so
 * follow-ups to those who have not acted skip them).
 * Throws ProviderError (nothing is recorded; the supporter may try again).
 */
export async function sendLetter(deps: LetterSendDeps, l: LetterToSend): Promise<LetterOutcome> {
  return deps.sql.begin(async (tx) => {
    const row = await claimLetter(tx, {
      orgId: l.orgId,
      campaignId: l.campaignId,
      supporterId: l.supporterId,
      stageRunId: l.stageRunId,
      targetKey: l.target.key,
      identity: l.identity,
    });
    if (row.status === 'accepted') return 'already_sent' as const;
    let providerId: string | null;
    try {
      ({ providerId } = await deps.email.send({
        to: l.target.email,
        from: l.from,
        subject: l.subject,
        text: l.text,
        html: textToHtml(l.text),
        headers: {},
        replyTo: l.replyTo,
        cc: l.cc,
        idempotencyKey: letterIdempotencyKey(l),
      }));
    } catch (err) {
      // The key was used with another body: an earlier attempt's letter went out.
      if (err instanceof ProviderError && err.code === IDEMPOTENCY_CONFLICT) providerId = null;
      else throw err;
    }
    await markLetterAccepted(tx, l.orgId, row.id, providerId ?? 'unknown');
    const ref = {
      orgId: l.orgId,
      campaignId: l.campaignId,
      supporterId: l.supporterId,
      stageRunId: l.stageRunId,
    };
    await recordEvent(tx, ref, 'letter', `target:${l.target.key}`);
    await recordDone(tx, ref, 'letter');
    return 'sent' as const;
  });
}
