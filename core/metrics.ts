import { Counter, Histogram, Registry } from 'prom-client';
import { DELIVERY_CHANNELS } from '../domain/channels';
import { DELIVERY_STATUSES } from '../domain/delivery-status';
import {
  DEFERRAL_REASONS,
  DROPPED_SLOT_REASONS,
  labelOf,
  PARKED_EVENT_OUTCOMES,
  PROVIDER_ERROR_KINDS,
  RECONCILE_OUTCOMES,
  REPLY_INTENTS,
  WEBHOOK_SOURCES,
} from '../domain/metric-labels';
import { REFUSAL_CODES } from '../domain/refusals';

/**
 * The service's own Prometheus metrics, one registry per process (the API's GET /metrics and each
 * worker's METRICS_PORT serve it). Every label goes through labelOf: values come only from the
 * vocabularies in domain/, so no contact detail, token, id or free text can reach a label.
 * Names: `campaign_*`; the Temporal SDK's own metrics are `temporal_*` (workers/metrics-server.ts).
 */
export const registry = new Registry();

const channel = (c: string) => labelOf(DELIVERY_CHANNELS, c);

const messages = new Counter({
  name: 'campaign_messages_total',
  help: 'Deliveries entering a status, by channel and status (accepted at send, sent/delivered/failed/undelivered from callbacks or reconciliation, deferred, excluded)',
  labelNames: ['channel', 'status'] as const,
  registers: [registry],
});
const providerErrors = new Counter({
  name: 'campaign_provider_errors_total',
  help: 'Provider calls that failed, by channel and kind (transient, rate_limited, permanent)',
  labelNames: ['channel', 'kind'] as const,
  registers: [registry],
});
const rateLimited = new Counter({
  name: 'campaign_provider_rate_limited_total',
  help: 'Provider answers 429 (Too Many Requests), by channel',
  labelNames: ['channel'] as const,
  registers: [registry],
});
const retryAfter = new Counter({
  name: 'campaign_provider_retry_after_seconds_total',
  help: 'Seconds the provider asked us to wait (Retry-After) and we waited, by channel',
  labelNames: ['channel'] as const,
  registers: [registry],
});
const callbackLag = new Histogram({
  name: 'campaign_status_callback_lag_seconds',
  help: 'From the provider event time to the status being recorded here, by channel',
  labelNames: ['channel'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 15, 60, 300, 1800, 7200],
  registers: [registry],
});
const pageDuration = new Histogram({
  name: 'campaign_page_duration_seconds',
  help: 'Time one delivery page activity took, by channel',
  labelNames: ['channel'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
  registers: [registry],
});
const deferrals = new Counter({
  name: 'campaign_deferrals_total',
  help: 'Recipients not sent now, by channel and reason (quiet_hours defers; the others exclude by design)',
  labelNames: ['channel', 'reason'] as const,
  registers: [registry],
});
const inbound = new Counter({
  name: 'campaign_inbound_replies_total',
  help: 'Inbound SMS replies by intent (first delivery of each message only)',
  labelNames: ['intent'] as const,
  registers: [registry],
});
const refusals = new Counter({
  name: 'campaign_webhook_refusals_total',
  help: 'Webhook requests refused, by source and problem code (forbidden = bad signature, …)',
  labelNames: ['source', 'reason'] as const,
  registers: [registry],
});
const reconciled = new Counter({
  name: 'campaign_reconciled_total',
  help: 'Deliveries reconciliation asked the provider about, by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});
const parked = new Counter({
  name: 'campaign_parked_events_total',
  help: 'Provider events for a message not recorded yet: parked, applied later, or expired',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const droppedSlots = new Counter({
  name: 'campaign_send_slots_dropped_total',
  help: 'Slots of the send rate shared by worker processes that went unused, by channel and reason (late: reached too late to use; slow_answer: skipped after a slow provider answer; became_shared: given back when another process started sharing the rate)',
  labelNames: ['channel', 'reason'] as const,
  registers: [registry],
});

/** What the service records; each method maps its inputs onto the fixed vocabularies. */
export const metrics = {
  message(ch: string, status: string, n = 1) {
    if (n > 0) messages.inc({ channel: channel(ch), status: labelOf(DELIVERY_STATUSES, status) }, n);
  },
  providerError(ch: string, kind: string) {
    providerErrors.inc({ channel: channel(ch), kind: labelOf(PROVIDER_ERROR_KINDS, kind) });
  },
  rateLimited(ch: string, retryAfterMs: number) {
    rateLimited.inc({ channel: channel(ch) });
    retryAfter.inc({ channel: channel(ch) }, Math.max(0, retryAfterMs) / 1000);
  },
  callbackLag(ch: string, eventAt: Date | undefined, now = new Date()) {
    if (!eventAt || Number.isNaN(eventAt.getTime())) return;
    callbackLag.observe({ channel: channel(ch) }, Math.max(0, (now.getTime() - eventAt.getTime()) / 1000));
  },
  pageDone(ch: string, seconds: number) {
    pageDuration.observe({ channel: channel(ch) }, seconds);
  },
  deferral(ch: string, reason: string, n = 1) {
    if (n > 0) deferrals.inc({ channel: channel(ch), reason: labelOf(DEFERRAL_REASONS, reason) }, n);
  },
  inboundReply(intent: string) {
    inbound.inc({ intent: labelOf(REPLY_INTENTS, intent) });
  },
  webhookRefused(source: string, code: string) {
    refusals.inc({ source: labelOf(WEBHOOK_SOURCES, source), reason: labelOf(REFUSAL_CODES, code) });
  },
  reconciled(ch: string, outcome: string) {
    reconciled.inc({ channel: channel(ch), outcome: labelOf(RECONCILE_OUTCOMES, outcome) });
  },
  droppedSlot(ch: string, reason: string) {
    droppedSlots.inc({ channel: channel(ch), reason: labelOf(DROPPED_SLOT_REASONS, reason) });
  },
  parkedEvent(outcome: string, n = 1) {
    if (n > 0) parked.inc({ outcome: labelOf(PARKED_EVENT_OUTCOMES, outcome) }, n);
  },
};

/** The Prometheus text exposition of this process's metrics. */
export const metricsText = (): Promise<string> => registry.metrics();
export const METRICS_CONTENT_TYPE = registry.contentType;
