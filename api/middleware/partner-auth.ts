import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../core/logger';
import type { Sql } from '../../db/client';
import { findPartner, type PartnerRow } from '../../db/partners';
import { unauthorized } from '../errors/problem';

// Unknown partners are verified against a throwaway secret so the answer and its timing are the
// same as for a bad signature: nobody learns which partner ids exist.
const DECOY = new Webhook(`whsec_${randomBytes(24).toString('base64')}`);
const DECOY_TOKEN = randomBytes(24).toString('base64');

export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The partner whose secret signed this exact body within the 5-minute tolerance, else 401. */
export async function verifiedPartner(
  sql: Sql,
  log: Logger,
  partnerId: string,
  raw: string,
  headers: StandardWebhookHeaders,
): Promise<PartnerRow> {
  const partner = await findPartner(sql, partnerId);
  let webhook = DECOY;
  if (partner) {
    try {
      webhook = new Webhook(partner.secret);
    } catch {
      log.error({ partnerId: partner.id }, 'partner secret is not a valid whsec_ secret');
    }
  }
  let verified = false;
  try {
    webhook.verify(raw, headers, { jsonParse: false });
    verified = webhook !== DECOY;
  } catch {}
  if (!partner || !verified) throw unauthorized('Missing, invalid or stale webhook signature');
  return partner;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Action Network cannot sign: the partner's secret itself is the credential, compared in constant time. */
export async function osdiPartner(
  sql: Sql,
  partnerId: string,
  token: string | undefined,
): Promise<PartnerRow> {
  const partner = await findPartner(sql, partnerId);
  const expected = digest(partner?.secret ?? DECOY_TOKEN);
  const ok = timingSafeEqual(digest(token ?? ''), expected) && partner !== undefined && token !== undefined;
  if (!ok) throw unauthorized('Missing or invalid OSDI-API-Token');
  return partner;
}
