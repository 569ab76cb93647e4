import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import type { Sql } from '../../db/client';
import { jsonb } from '../../db/client';
import { stageRunMonth } from '../../db/partition-month';
import { createOrganization } from '../../db/tenants';
import { randomEmail, randomPhone, twilioSid } from './generators';

// Rows inserted straight into the tables, for routes that act on deliveries made by the workers.

export async function createOrg(sql: Sql, opts: { helpText?: string; keywords?: unknown } = {}) {
  const orgId = await createOrganization(sql, { name: `fixture org ${randomUUID()}` });
  if (opts.helpText !== undefined || opts.keywords !== undefined) {
    await sql`update organizations set help_text = coalesce(${opts.helpText ?? null}, help_text),
      keywords = ${opts.keywords === undefined ? null : sql.json(jsonb(opts.keywords))} where id = ${orgId}`;
  }
  return orgId;
}

export interface SupporterFixture {
  phone?: string | null;
  email?: string | null;
  locale?: 'en' | 'km';
  smsConsent?: boolean;
  emailConsent?: boolean;
  smsOptedOut?: boolean;
}

export async function createSupporter(sql: Sql, orgId: string, s: SupporterFixture = {}): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into supporters (org_id, name, phone, email, locale, sms_consent, email_consent, sms_opted_out_at)
    values (${orgId}, 'Fixture Supporter', ${s.phone === undefined ? randomPhone() : s.phone},
      ${s.email === undefined ? randomEmail() : s.email}, ${s.locale ?? 'en'}, ${s.smsConsent ?? true},
      ${s.emailConsent ?? true}, ${s.smsOptedOut ? new Date() : null})
    returning id`;
  return row!.id;
}

/** A campaign with one running stage whose frozen content asks for `actionUrl`. */
export async function createStageRun(
  sql: Sql,
  orgId: string,
  opts: { actionUrl?: string | null; channel?: 'sms' | 'email' | 'both' } = {},
): Promise<{ campaignId: string; stageRunId: string }> {
  const actionUrl = opts.actionUrl === undefined ? 'https://act.example.org/free-kem-sokha' : opts.actionUrl;
  const action = actionUrl === null ? {} : { url: actionUrl, targets: [{ name: 'Minister of Justice' }] };
  const content = {
    en: { sms: 'Act now: {{actionUrl}}', subject: 'Urgent Action', body: 'Act now: {{actionUrl}}' },
    km: { sms: 'សូមចាត់វិធានការ៖ {{actionUrl}}' },
  };
  const definition = {
    kind: 'case_alert',
    title: 'Fixture case',
    params: { caseName: 'Fixture' },
    content,
    action,
  };
  const [campaign] = await sql<{ id: string }[]>`
    insert into campaigns (org_id, kind, title, status, definition, workflow_id)
    values (${orgId}, 'case_alert', 'Fixture case', 'running', ${sql.json(jsonb(definition))},
      ${`campaign-fixture-${randomUUID()}`})
    returning id`;
  const runContent = { content, action, vars: { caseName: 'Fixture' }, quietHours: false };
  const [run] = await sql<{ id: string }[]>`
    insert into stage_runs (org_id, campaign_id, stage_key, channel, status, started_at, content)
    values (${orgId}, ${campaign!.id}, 'alert', ${opts.channel ?? 'both'}, 'running', now(),
      ${sql.json(jsonb(runContent))})
    returning id`;
  return { campaignId: campaign!.id, stageRunId: run!.id };
}

export interface DeliveryFixture {
  id: string;
  token: string;
  providerId: string;
}

export async function createDelivery(
  sql: Sql,
  d: {
    orgId: string;
    stageRunId: string;
    supporterId: string;
    channel: 'sms' | 'email';
    status?: string;
    createdAt?: Date;
  },
): Promise<DeliveryFixture> {
  const token = randomBytes(24).toString('base64url');
  const providerId = d.channel === 'sms' ? twilioSid() : randomUUID();
  const [row] = await sql<{ id: string }[]>`
    insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, provider_id, link_token, created_at, month)
    values (${d.orgId}, ${d.stageRunId}, ${d.supporterId}, ${d.channel}, ${d.status ?? 'accepted'}, ${providerId},
      ${token}, ${d.createdAt ?? new Date()}, (${stageRunMonth(sql, d.stageRunId)}))
    returning id::text`;
  return { id: row!.id, token, providerId };
}

/** An organization, a supporter with phone and email, a stage run, and one accepted delivery per channel. */
export async function createDeliveredSupporter(
  sql: Sql,
  opts: { orgId?: string; supporter?: SupporterFixture; actionUrl?: string | null } = {},
) {
  const orgId = opts.orgId ?? (await createOrg(sql));
  const phone = opts.supporter?.phone ?? randomPhone();
  const supporterId = await createSupporter(sql, orgId, { ...opts.supporter, phone });
  const run = await createStageRun(sql, orgId, { actionUrl: opts.actionUrl });
  const sms = await createDelivery(sql, { orgId, stageRunId: run.stageRunId, supporterId, channel: 'sms' });
  const email = await createDelivery(sql, {
    orgId,
    stageRunId: run.stageRunId,
    supporterId,
    channel: 'email',
  });
  return { orgId, supporterId, phone, ...run, sms, email };
}

// Signed requests, made with the providers' own libraries.

export function twilioRequest(
  authToken: string,
  signedUrl: string,
  params: Record<string, string>,
  opts: { signature?: string | null; body?: string } = {},
): RequestInit {
  const signature =
    opts.signature === undefined
      ? twilio.getExpectedTwilioSignature(authToken, signedUrl, params)
      : opts.signature;
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: opts.body ?? new URLSearchParams(params).toString(),
  };
}

export function resendRequest(
  secret: string,
  payload: unknown,
  opts: { id?: string; at?: Date; body?: string; headers?: Record<string, string> } = {},
): RequestInit & { id: string } {
  const id = opts.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const at = opts.at ?? new Date();
  const body = opts.body ?? JSON.stringify(payload);
  return {
    id,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(id, at, body),
      ...opts.headers,
    },
    body,
  };
}
