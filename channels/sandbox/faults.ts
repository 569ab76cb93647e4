import { z } from 'zod';
import type { DeliveryChannel } from '../../domain/channels';

export const faultsSchema = z
  .object({
    /** Fraction of send requests answered `errorStatus` without accepting. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(400).max(599).default(500),
    /** Delay before every provider answer. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Sliding one-second window per channel (Twilio and Resend limit us separately); null = no limit. */
    rateLimitPerSec: z.number().int().positive().nullable().default(null),
    /** Retry-After (seconds) sent with a 429; by default the time until the window frees a slot. */
    retryAfterSec: z.number().int().positive().optional(),
    /** Phone numbers / emails rejected at send time (Twilio 400 `failTwilioCode`, Resend 422). */
    failNumbers: z.array(z.string().min(1)).default([]),
    /** Phone numbers / emails accepted, then reported undelivered (Twilio 30003) or bounced (Resend). */
    bounceNumbers: z.array(z.string().min(1)).default([]),
    /**
     * Fraction of status callbacks (Twilio status, Resend events) never posted, as if lost in an API
     * outage; the message's status at the provider still advances, so reconciliation can find it.
     */
    dropCallbackRate: z.number().min(0).max(1).default(0),
    failTwilioCode: z
      .union([z.literal(21211), z.literal(21610), z.literal(21612), z.literal(21614)])
      .default(21211),
  })
  .strict();

export type FaultConfig = z.output<typeof faultsSchema>;

export type Admission =
  | { ok: true }
  | { ok: false; reason: 'rate_limited'; retryAfterSec: number; limit: number }
  | { ok: false; reason: 'error'; status: number };

const WINDOW_MS = 1000;
const normalize = (address: string) => address.replace(/[\s()-]/g, '').toLowerCase();

export class FaultInjector {
  #config: FaultConfig = faultsSchema.parse({});
  #windows: Record<DeliveryChannel, number[]> = { sms: [], email: [] };
  #fail = new Set<string>();
  #bounce = new Set<string>();
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get config(): FaultConfig {
    return this.#config;
  }

  set(config: FaultConfig): void {
    this.#config = config;
    this.#fail = new Set(config.failNumbers.map(normalize));
    this.#bounce = new Set(config.bounceNumbers.map(normalize));
    this.#windows = { sms: [], email: [] };
  }

  reset(): void {
    this.set(faultsSchema.parse({}));
  }

  /** Rate limit first (a limited request does not take a slot), then the random error. */
  admit(channel: DeliveryChannel, now: number): Admission {
    const limit = this.#config.rateLimitPerSec;
    if (limit !== null) {
      const window = this.#windows[channel].filter((t) => t > now - WINDOW_MS);
      this.#windows[channel] = window;
      const oldest = window[0];
      if (window.length >= limit && oldest !== undefined) {
        const retryAfterSec =
          this.#config.retryAfterSec ?? Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
        return { ok: false, reason: 'rate_limited', retryAfterSec, limit };
      }
      window.push(now);
    }
    if (this.#config.errorRate > 0 && this.#random() < this.#config.errorRate) {
      return { ok: false, reason: 'error', status: this.#config.errorStatus };
    }
    return { ok: true };
  }

  /** True when this status callback is to be lost (dropCallbackRate). */
  dropsCallback(): boolean {
    return this.#config.dropCallbackRate > 0 && this.#random() < this.#config.dropCallbackRate;
  }

  fails(address: string): boolean {
    return this.#fail.has(normalize(address));
  }

  bounces(address: string): boolean {
    return this.#bounce.has(normalize(address));
  }

  async delay(): Promise<void> {
    const ms = this.#config.latencyMs;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
