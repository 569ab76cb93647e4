import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import { keepAliveAgents, type PostAnswer, post } from './http-post';
import type { SandboxLogger } from './logger';
import type { SandboxMessage, SandboxStore } from './store';
import { rfc2822 } from './twilio-wire';

export interface CallbackOptions {
  store: SandboxStore;
  accountSid: string;
  authToken: string;
  resendWebhookSecret: string;
  /** Where the API really listens: one base URL, or several taken in turn (round-robin). */
  apiBaseUrl: string | readonly string[];
  /** The API's public URL: what Twilio signs over. Callback URLs under it are delivered to apiBaseUrl. */
  publicBaseUrl: string;
  /** False: statuses still advance, nothing is posted. */
  enabled: boolean;
  /** Pause before each status step. */
  stepDelayMs: number;
  timeoutMs: number;
  log: SandboxLogger;
  /** Asked before each status callback: true loses it (fault injection); never for inbound posts. */
  drops?: () => boolean;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Posts the status webhooks a provider would send after accepting a message. Failures (the API
 * not running, a non-2xx answer) are counted in the store and never thrown: a sandbox must not
 * crash because the API is down.
 */
export class CallbackDispatcher {
  readonly #o: CallbackOptions;
  readonly #webhook: Webhook;
  readonly #pending = new Set<Promise<void>>();
  readonly #sleeping = new Set<() => void>();
  readonly #closing = new AbortController();
  readonly #agents = keepAliveAgents();
  #generation = 0;
  #nextApi = 0;

  constructor(opts: CallbackOptions) {
    this.#o = opts;
    this.#webhook = new Webhook(opts.resendWebhookSecret);
  }

  /** Sent, then delivered, or undelivered with 30003 for a bouncing number. */
  smsAccepted(msg: SandboxMessage, statusCallback: string | undefined, bounce: boolean): void {
    this.#track(async (live) => {
      if (!(await this.#pause(live))) return;
      this.#setStatus(msg, 'sent');
      if (statusCallback) await this.#postTwilioStatus(msg, statusCallback);
      if (!(await this.#pause(live))) return;
      if (bounce) msg.errorCode = 30003;
      this.#setStatus(msg, bounce ? 'undelivered' : 'delivered');
      if (statusCallback) await this.#postTwilioStatus(msg, statusCallback);
    });
  }

  /** email.sent, then email.delivered or email.bounced. */
  emailAccepted(msg: SandboxMessage, bounce: boolean): void {
    this.#track(async (live) => {
      if (!(await this.#pause(live))) return;
      this.#setStatus(msg, 'sent');
      await this.#postResendEvent(msg, 'email.sent');
      if (!(await this.#pause(live))) return;
      this.#setStatus(msg, bounce ? 'bounced' : 'delivered');
      await this.#postResendEvent(msg, bounce ? 'email.bounced' : 'email.delivered');
    });
  }

  /** A supporter's reply, signed like Twilio's inbound webhook; returns the API's answer. */
  async postInbound(input: {
    from: string;
    to: string;
    body: string;
    segments: number;
  }): Promise<PostAnswer> {
    const path = '/v1/webhooks/twilio/inbound';
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const params = {
      AccountSid: this.#o.accountSid,
      ApiVersion: '2010-04-01',
      Body: input.body,
      From: input.from,
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: String(input.segments),
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: input.to,
    };
    const signedUrl = `${trimSlash(this.#o.publicBaseUrl)}${path}`;
    return this.#postForm(`${this.#apiBase()}${path}`, signedUrl, params);
  }

  /**
   * Resend Inbound: an email to one of our receiving addresses, posted as a signed `email.received`
   * event (with the text, which Resend itself leaves to its Received Emails API).
   */
  async postInboundEmail(input: {
    from: string;
    to: string[];
    subject: string;
    text: string;
  }): Promise<PostAnswer> {
    const at = new Date();
    const payload = JSON.stringify({
      type: 'email.received',
      created_at: at.toISOString(),
      data: {
        email_id: randomBytes(16).toString('hex'),
        created_at: at.toISOString(),
        from: input.from,
        to: input.to,
        cc: [],
        bcc: [],
        message_id: `<${randomBytes(8).toString('hex')}@sandbox>`,
        subject: input.subject,
        text: input.text,
        attachments: [],
      },
    });
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const headers = {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': this.#webhook.sign(id, at, payload),
    };
    return this.#post(`${this.#apiBase()}/v1/webhooks/resend`, headers, payload);
  }

  /** Resolves when every scheduled callback has been posted, has failed or was dropped. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Drops the steps not yet taken (messages were cleared); posts in flight finish. */
  async cancelPending(): Promise<void> {
    this.#generation++;
    for (const wake of this.#sleeping) wake();
    await this.idle();
  }

  /** Stops everything, in-flight posts included. */
  async close(): Promise<void> {
    this.#closing.abort();
    // Ends the connections first: posts in flight reject (and are not counted as failures).
    await this.#agents.destroy();
    await this.cancelPending();
  }

  #track(run: (live: () => boolean) => Promise<void>): void {
    const generation = this.#generation;
    const live = () => generation === this.#generation && !this.#closing.signal.aborted;
    const p = run(live)
      .catch((err: unknown) => {
        if (!live()) return;
        this.#o.store.callbackFailures++;
        this.#o.log.warn(
          { err: err instanceof Error ? err.name : 'unknown' },
          'sandbox callback sequence failed',
        );
      })
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Waits one step; false when the sequence was cancelled meanwhile. */
  async #pause(live: () => boolean): Promise<boolean> {
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#o.stepDelayMs);
      this.#sleeping.add(wake);
    });
    return live();
  }

  #setStatus(msg: SandboxMessage, status: string): void {
    const now = new Date().toISOString();
    msg.status = status;
    msg.updatedAt = now;
    if (status === 'sent') msg.dateSent = now;
  }

  async #postTwilioStatus(msg: SandboxMessage, statusCallback: string): Promise<void> {
    const params: Record<string, string> = {
      AccountSid: this.#o.accountSid,
      ApiVersion: '2010-04-01',
      From: msg.from ?? '',
      MessageSid: msg.id,
      MessageStatus: msg.status,
      SmsSid: msg.id,
      SmsStatus: msg.status,
      To: msg.to,
    };
    if (msg.messagingServiceSid) params.MessagingServiceSid = msg.messagingServiceSid;
    if (msg.errorCode !== null) params.ErrorCode = String(msg.errorCode);
    params.RawDlrDoneDate = rfc2822(msg.updatedAt);
    await this.#deliver(() => this.#postForm(this.#target(statusCallback), statusCallback, params));
  }

  async #postResendEvent(msg: SandboxMessage, type: string): Promise<void> {
    const data: Record<string, unknown> = {
      email_id: msg.id,
      from: msg.from,
      to: [msg.to],
      subject: msg.subject,
      created_at: msg.acceptedAt,
    };
    if (type === 'email.bounced') {
      data.bounce = {
        type: 'Permanent',
        subType: 'General',
        message: 'The recipient address does not exist.',
      };
    }
    const payload = JSON.stringify({ type, created_at: new Date().toISOString(), data });
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': this.#webhook.sign(id, at, payload),
    };
    const url = `${this.#apiBase()}/v1/webhooks/resend`;
    await this.#deliver(() => this.#post(url, headers, payload));
  }

  /** The API base URL for the next post: the only one, or the next of several in turn. */
  #apiBase(): string {
    const bases = typeof this.#o.apiBaseUrl === 'string' ? [this.#o.apiBaseUrl] : this.#o.apiBaseUrl;
    const base = bases[this.#nextApi++ % bases.length] ?? '';
    return trimSlash(base);
  }

  /** Twilio signs over the URL it was given; we deliver under publicBaseUrl to apiBaseUrl. */
  #target(url: string): string {
    const pub = trimSlash(this.#o.publicBaseUrl);
    return url.startsWith(pub) ? `${this.#apiBase()}${url.slice(pub.length)}` : url;
  }

  #postForm(target: string, signedUrl: string, params: Record<string, string>) {
    const signature = twilio.getExpectedTwilioSignature(this.#o.authToken, signedUrl, params);
    return this.#post(
      target,
      { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      new URLSearchParams(params).toString(),
    );
  }

  #post(url: string, headers: Record<string, string>, body: string): Promise<PostAnswer> {
    return post(url, {
      agents: this.#agents,
      headers,
      body,
      timeoutMs: this.#o.timeoutMs,
    });
  }

  /** One post; a failure is counted and the sequence goes on, as a provider's would. */
  async #deliver(send: () => Promise<PostAnswer>): Promise<void> {
    if (!this.#o.enabled) return;
    if (this.#o.drops?.()) {
      this.#o.store.callbacksDropped++;
      return;
    }
    try {
      const res = await send();
      if (res.status < 200 || res.status > 299) throw new Error(`callback answered ${res.status}`);
      this.#o.store.callbacksDelivered++;
    } catch (err) {
      if (this.#closing.signal.aborted) return;
      this.#o.store.callbackFailures++;
      this.#o.log.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'sandbox callback failed');
    }
  }
}
