import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PayloadKeys } from '../../core/payload-codec';

/** What the console remembers between requests: the organizer's API token and the form secret. */
export interface ConsoleSession {
  token: string;
  /** Per-session CSRF token echoed in every form's hidden `_csrf` field. */
  csrf: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const IV_BYTES = 12;
const TAG_BYTES = 16;

// A key of its own per payload key (HKDF, distinct info), so a session cookie never decrypts as a payload.
function cookieKey(payloadKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', payloadKey, 'campaign-console', 'console-session-v1', 32));
}

/** Sealed sessions: AES-256-GCM over JSON, labelled with the payload key id so rotation keeps sessions. */
export function sessionSealer(keys: PayloadKeys, now: () => number = Date.now) {
  const derived = new Map([...keys.keys].map(([id, key]) => [id, cookieKey(key)]));
  return {
    create(token: string): ConsoleSession {
      return { token, csrf: randomBytes(24).toString('base64url'), exp: now() + SESSION_TTL_MS };
    },
    seal(session: ConsoleSession): string {
      const key = derived.get(keys.currentKeyId)!;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(keys.currentKeyId));
      const data = Buffer.concat([
        cipher.update(JSON.stringify(session)),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return `${encodeURIComponent(keys.currentKeyId)}.${Buffer.concat([iv, data]).toString('base64url')}`;
    },
    /** The session, or undefined when the cookie is absent, forged, tampered with or expired. */
    open(cookie: string | undefined): ConsoleSession | undefined {
      const [id, b64] = cookie?.split('.') ?? [];
      if (!id || !b64) return undefined;
      const keyId = decodeURIComponent(id);
      const key = derived.get(keyId);
      const raw = Buffer.from(b64, 'base64url');
      if (!key || raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, -TAG_BYTES)), decipher.final()]);
        const session = JSON.parse(plain.toString('utf8')) as ConsoleSession;
        if (typeof session.token !== 'string' || typeof session.csrf !== 'string') return undefined;
        return session.exp > now() ? session : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type SessionSealer = ReturnType<typeof sessionSealer>;

/** Constant-time comparison of two tokens of any length. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
