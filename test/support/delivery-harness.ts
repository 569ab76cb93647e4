import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import type { EmailChannel, OutgoingEmail } from '../../channels/email-channel';
import type { SmsChannel, SmsSendInput, SmsSendResult } from '../../channels/sms-channel';
import { suppressionKeys } from '../../core/runtime';
import { upsertSupporter } from '../../db/supporters';
import { createOrganization, createToken } from '../../db/tenants';
import { REACHED_STATUSES } from '../../domain/delivery-status';
import { createEmailFromConfig, createSmsFromConfig } from '../../workers/channels';
import { createWorkers } from '../../workers/create-workers';
import { eventually } from './sandbox-client';
import { type Service, startService } from './service';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

/**
 * Test seams around the real SDK channels: each runs before or after the real call, so a test
 * can hold a send, or "crash" after the provider took a message. Reset between tests.
 */
export interface ChannelHooks {
  beforeSms?: (input: SmsSendInput) => Promise<void>;
  afterSms?: (input: SmsSendInput, result: SmsSendResult) => Promise<void>;
  afterEmailBatch?: (emails: OutgoingEmail[], ids: Array<{ providerId: string }>) => Promise<void>;
}

/** The activities' clock: real time unless a test sets it. */
export interface ControlledClock {
  now(): Date;
  set(at: Date | null): void;
}

export interface DeliveryHarness {
  svc: Service;
  hooks: ChannelHooks;
  clock: ControlledClock;
  /** A fresh organization in the same service, so each test owns its whole audience. */
  newOrg(): Promise<OrgClient>;
  stop(): Promise<void>;
}

export interface OrgClient {
  orgId: string;
  api: (path: string, init?: { method?: string; body?: unknown }) => Promise<{ status: number; body: Json }>;
}

function hookedSms(inner: SmsChannel, hooks: ChannelHooks): SmsChannel {
  return {
    async send(input) {
      await hooks.beforeSms?.(input);
      const result = await inner.send(input);
      await hooks.afterSms?.(input, result);
      return result;
    },
    listSentTo: (query) => inner.listSentTo(query),
  };
}

function hookedEmail(inner: EmailChannel, hooks: ChannelHooks): EmailChannel {
  return {
    send: (email) => inner.send(email),
    async sendBatch(emails, key) {
      const ids = await inner.sendBatch(emails, key);
      await hooks.afterEmailBatch?.(emails, ids);
      return ids;
    },
  };
}

/**
 * The service with its orchestrator worker, plus this file's own SMS and email workers built by
 * createWorkers around hooked channels and a controlled clock (the only pollers of those queues).
 */
export async function startDeliveryHarness(
  opts: { env?: Record<string, string> } = {},
): Promise<DeliveryHarness> {
  const svc = await startService({ roles: ['orchestrator'], ...(opts.env ? { env: opts.env } : {}) });
  const hooks: ChannelHooks = {};
  let fixed: Date | null = null;
  const clock: ControlledClock = {
    now: () => fixed ?? new Date(),
    set: (at) => {
      fixed = at;
    },
  };
  const connection = await NativeConnection.connect({ address: svc.config.TEMPORAL_ADDRESS });
  const workers = await createWorkers(['sms', 'email'], {
    config: svc.config,
    sql: svc.sql,
    connection,
    sms: () => hookedSms(createSmsFromConfig(svc.config), hooks),
    email: () => hookedEmail(createEmailFromConfig(svc.config), hooks),
    clock: clock.now,
  });
  const running = workers.map((w) => w.run());
  return {
    svc,
    hooks,
    clock,
    async newOrg() {
      const orgId = await createOrganization(svc.sql, { name: `delivery test ${randomUUID()}` });
      const { token } = await createToken(svc.sql, { orgId, role: 'organizer' });
      return { orgId, api: (path, init = {}) => svc.api(path, { ...init, token }) };
    },
    async stop() {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await connection.close();
      await svc.stop();
    },
  };
}

export interface NewSupporter {
  name?: string;
  phone?: string;
  email?: string;
  locale?: 'en' | 'km';
  timezone?: string;
  consent?: { sms?: boolean; email?: boolean };
}

/** Creates supporters through the API, a few requests at a time; returns their ids in input order. */
export async function createSupporters(
  org: OrgClient,
  list: NewSupporter[],
  parallel = 16,
): Promise<string[]> {
  const ids: string[] = new Array(list.length);
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const i = next++;
      const res = await org.api('/v1/supporters', { body: { name: 'Test Supporter', ...list[i] } });
      if (res.status !== 201) throw new Error(`supporter ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[i] = res.body.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return ids;
}

/**
 * Many supporters at once, stored by the same function the API uses (the API's per-token rate
 * limit would make 1,000 requests take minutes). Numbers must already be E.164.
 */
export async function storeSupporters(svc: Service, orgId: string, list: NewSupporter[]): Promise<string[]> {
  const ids: string[] = [];
  const keys = suppressionKeys(svc.config);
  for (const s of list) {
    const { supporter } = await upsertSupporter(
      svc.sql,
      orgId,
      {
        name: s.name ?? 'Test Supporter',
        ...(s.phone ? { phone: s.phone } : {}),
        ...(s.email ? { email: s.email } : {}),
        locale: s.locale ?? 'en',
        timezone: s.timezone ?? 'UTC',
        tags: [],
        consent: { sms: s.consent?.sms ?? false, email: s.consent?.email ?? false },
      },
      keys,
    );
    ids.push(supporter.id);
  }
  return ids;
}

/** A custom campaign whose stages start `after` launch; returns its id. */
export async function launchCampaign(
  org: OrgClient,
  opts: {
    stages: Array<{ key: string; after?: string; channel: 'sms' | 'email' | 'both' | 'sms_then_email' }>;
    content: Record<string, unknown>;
    quietHours?: boolean;
  },
): Promise<string> {
  const res = await org.api('/v1/campaigns', {
    body: {
      kind: 'custom',
      title: 'Delivery test',
      params: { caseName: 'Sokha' },
      content: opts.content,
      action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
      stages: opts.stages.map((s) => ({ key: s.key, at: { after: s.after ?? 'PT0S' }, channel: s.channel })),
      options: { quietHours: opts.quietHours ?? false },
    },
  });
  if (res.status !== 201) throw new Error(`launch: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function waitForCampaign(org: OrgClient, id: string, status = 'completed', timeoutMs = 120_000) {
  const res = await eventually(
    () => org.api(`/v1/campaigns/${id}`),
    (r) => r.body.status === status,
    `campaign ${id} to be ${status}`,
    timeoutMs,
  );
  return res.body;
}

export interface DeliveryRow {
  supporter_id: string;
  stage_key: string;
  channel: 'sms' | 'email';
  status: string;
  provider_id: string | null;
  encoding: string | null;
  segments: number | null;
  error_code: string | null;
  attempts: number;
  defer_until: Date | null;
}

export async function deliveryRows(svc: Service, campaignId: string): Promise<DeliveryRow[]> {
  return svc.sql<DeliveryRow[]>`
    select d.supporter_id, r.stage_key, d.channel, d.status, d.provider_id, d.encoding, d.segments,
      d.error_code, d.attempts, d.defer_until
    from deliveries d join stage_runs r on r.id = d.stage_run_id
    where r.campaign_id = ${campaignId} order by r.stage_key, d.supporter_id, d.channel`;
}

export const REACHED: readonly string[] = REACHED_STATUSES;

/** Counts the provider's messages per recipient address. */
export function perRecipient(messages: Array<{ to: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
}

/** The sandbox's full stats (the shared client types only a few fields). */
export async function sandboxStats(sandboxUrl: string): Promise<Json> {
  const res = await fetch(`${sandboxUrl}/sandbox/stats`);
  return res.json();
}

export async function resetSandbox(sandboxUrl: string): Promise<void> {
  await fetch(`${sandboxUrl}/sandbox/faults`, { method: 'DELETE' });
  const res = await fetch(`${sandboxUrl}/sandbox/messages`, { method: 'DELETE' });
  if (res.status !== 204) throw new Error(`sandbox reset: ${res.status}`);
}

/** A promise to open later, for holding a send until the test has done something. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
