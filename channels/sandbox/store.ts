import type { DeliveryChannel } from '../../domain/channels';

/** One accepted message, as the sandbox lists it (`GET /sandbox/messages`). */
export interface SandboxMessage {
  id: string;
  channel: DeliveryChannel;
  to: string;
  from: string | null;
  body: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  headers: Record<string, string> | null;
  /** An email's Reply-To as Resend received it (`reply_to`), else null. */
  replyTo?: string | null;
  segments: number | null;
  acceptedAt: string;
  /** Provider-side status, moved along by the callback dispatcher (queued → sent → delivered …). */
  status: string;
  dateSent: string | null;
  updatedAt: string;
  errorCode: number | null;
  messagingServiceSid: string | null;
  /** Insertion order; newest-first listings sort on it because acceptedAt can tie. */
  seq: number;
}

export type Rejection = 'rejected429' | 'rejected5xx' | 'rejectedPermanent';

interface Counters {
  accepted: number;
  rejected429: number;
  rejected5xx: number;
  rejectedPermanent: number;
}

const zero = (): Counters => ({ accepted: 0, rejected429: 0, rejected5xx: 0, rejectedPermanent: 0 });

/**
 * In-memory state of the sandbox. `accepted` counts messages; the rejected counters count
 * requests (a rejected email batch is one rejection), because a rejection is an answer to a request.
 */
export class SandboxStore {
  messages: SandboxMessage[] = [];
  callbackFailures = 0;
  callbacksDelivered = 0;
  /** Status callbacks lost on purpose (faults.dropCallbackRate). */
  callbacksDropped = 0;
  #seq = 0;
  #counters: Record<DeliveryChannel, Counters> = { sms: zero(), email: zero() };
  #sameContent = new Map<string, number>();
  #maxSame: Record<DeliveryChannel, number> = { sms: 0, email: 0 };

  accept(msg: Omit<SandboxMessage, 'seq'>): SandboxMessage {
    const stored = { ...msg, seq: ++this.#seq };
    this.messages.push(stored);
    this.#counters[msg.channel].accepted++;
    const content = msg.channel === 'sms' ? msg.body : `${msg.subject}\n${msg.text ?? ''}\n${msg.html ?? ''}`;
    const key = JSON.stringify([msg.channel, msg.to, content]);
    const count = (this.#sameContent.get(key) ?? 0) + 1;
    this.#sameContent.set(key, count);
    this.#maxSame[msg.channel] = Math.max(this.#maxSame[msg.channel], count);
    return stored;
  }

  reject(channel: DeliveryChannel, kind: Rejection): void {
    this.#counters[channel][kind]++;
  }

  find(id: string): SandboxMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  stats() {
    const byChannel = {
      sms: { ...this.#counters.sms, maxPerRecipientPerBody: this.#maxSame.sms },
      email: { ...this.#counters.email, maxPerRecipientPerBody: this.#maxSame.email },
    };
    const sum = (k: keyof Counters) => byChannel.sms[k] + byChannel.email[k];
    return {
      accepted: sum('accepted'),
      rejected429: sum('rejected429'),
      rejected5xx: sum('rejected5xx'),
      rejectedPermanent: sum('rejectedPermanent'),
      callbackFailures: this.callbackFailures,
      callbacksDelivered: this.callbacksDelivered,
      callbacksDropped: this.callbacksDropped,
      maxPerRecipientPerBody: Math.max(this.#maxSame.sms, this.#maxSame.email),
      byChannel,
    };
  }

  reset(): void {
    this.messages = [];
    this.callbackFailures = 0;
    this.callbacksDelivered = 0;
    this.callbacksDropped = 0;
    this.#counters = { sms: zero(), email: zero() };
    this.#sameContent.clear();
    this.#maxSame = { sms: 0, email: 0 };
  }
}
