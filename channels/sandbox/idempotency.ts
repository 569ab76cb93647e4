import { createHash } from 'node:crypto';

interface Entry {
  fingerprint: string;
  status: number;
  body: unknown;
  expiresAt: number;
}

export type IdempotencyLookup =
  | { kind: 'miss' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'conflict' };

const TTL_MS = 24 * 60 * 60 * 1000; // Resend keeps keys for 24 hours

/** Resend's Idempotency-Key semantics: same key and same request → the stored answer; other request → 409. */
export class IdempotencyCache {
  #entries = new Map<string, Entry>();

  static fingerprint(path: string, rawBody: string): string {
    return createHash('sha256').update(path).update('\n').update(rawBody).digest('hex');
  }

  lookup(key: string, fingerprint: string, now: number): IdempotencyLookup {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= now) {
      this.#entries.delete(key);
      return { kind: 'miss' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
    return { kind: 'replay', status: entry.status, body: entry.body };
  }

  /** Only successful answers are kept: a retry after a 429 or 5xx must be able to succeed. */
  remember(key: string, fingerprint: string, status: number, body: unknown, now: number): void {
    this.#entries.set(key, { fingerprint, status, body, expiresAt: now + TTL_MS });
  }

  clear(): void {
    this.#entries.clear();
  }
}
