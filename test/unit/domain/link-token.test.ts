import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actionUrl, linkToken } from '../../../activities/links';
import { loadConfig } from '../../../core/config';
import { linkBaseUrl } from '../../../core/runtime';
import { LEGACY_LINK_TOKEN_CHARS, LINK_TOKEN_CHARS } from '../../../domain/link-token';
import { countSegments } from '../../../domain/sms-segments';
import { renderSms } from '../../../domain/template';

const secret = randomBytes(32).toString('base64');
const key = { stageRunId: '0b5a4c52-4d6e-4c8e-9a0e-2b1f3f0e7a11', supporterId: 'f1c2', channel: 'sms' };

/** The token as minted before issue 22: the same HMAC, 32 base64url characters. */
const legacyToken = (k: typeof key) =>
  createHmac('sha256', secret)
    .update(`${k.stageRunId}:${k.supporterId}:${k.channel}`)
    .digest('base64url')
    .slice(0, LEGACY_LINK_TOKEN_CHARS);

describe('link tokens', () => {
  it('are 16 base64url characters: 96 bits of an HMAC over the delivery key', () => {
    const token = linkToken(secret, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(LINK_TOKEN_CHARS * 6).toBeGreaterThanOrEqual(96);
    // Signed: the same delivery gives the same token, another secret another one.
    expect(linkToken(secret, key)).toBe(token);
    expect(linkToken(randomBytes(32).toString('base64'), key)).not.toBe(token);
  });

  it('are bound to one delivery: another supporter, stage run or channel gets another token', () => {
    const token = linkToken(secret, key);
    expect(linkToken(secret, { ...key, supporterId: 'f1c3' })).not.toBe(token);
    expect(linkToken(secret, { ...key, stageRunId: `${key.stageRunId.slice(0, -1)}2` })).not.toBe(token);
    expect(linkToken(secret, { ...key, channel: 'email' })).not.toBe(token);
  });

  it('never collide over many deliveries', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(linkToken(secret, { ...key, supporterId: String(i) }));
    expect(seen.size).toBe(20_000);
  });

  it('is the prefix of the token minted for the same delivery before (old links stay on their rows)', () => {
    expect(legacyToken(key).startsWith(linkToken(secret, key))).toBe(true);
  });
});

describe('SHORT_LINK_BASE_URL', () => {
  const base = { PUBLIC_BASE_URL: 'https://alerts.khmer-ua-network.org' };
  it('is the SMS link origin when set, else PUBLIC_BASE_URL', () => {
    expect(linkBaseUrl(loadConfig(base))).toBe('https://alerts.khmer-ua-network.org');
    expect(linkBaseUrl(loadConfig({ ...base, SHORT_LINK_BASE_URL: 'https://ua.kh/' }))).toBe('https://ua.kh');
  });
  it('must be an http(s) origin, named in the error', () => {
    for (const bad of ['ua.kh', 'ftp://ua.kh', 'https://ua.kh/links', 'https://ua.kh/?x=1']) {
      expect(() => loadConfig({ ...base, SHORT_LINK_BASE_URL: bad }), bad).toThrow(/SHORT_LINK_BASE_URL/);
    }
  });
});

describe('what a typical Khmer alert saves', () => {
  // A case alert as the network words it: the case, the ask, the link (UCS-2: 67 characters a segment).
  const alert =
    'សកម្មភាពបន្ទាន់៖ {{caseName}} ត្រូវបានចាប់ខ្លួនដោយអយុត្តិធម៌។ សូមសរសេរទៅកាន់រដ្ឋមន្ត្រីក្រសួងយុត្តិធម៌ ដើម្បីទាមទារឱ្យដោះលែងគាត់ភ្លាមៗ៖ {{actionUrl}}';
  const vars = (url: string) => ({ caseName: 'សុខា', actionUrl: url });
  const token = linkToken(secret, key);
  const segments = (url: string) => countSegments(renderSms(alert, vars(url)));

  it('costs fewer segments with the short token, and fewer still on a short origin', () => {
    const before = segments(`https://alerts.khmer-ua-network.org/a/${legacyToken(key)}`);
    const shortToken = segments(actionUrl('https://alerts.khmer-ua-network.org', token));
    const shortOrigin = segments(actionUrl('https://ua.kh', token));
    console.info(
      `typical Khmer alert: ${before.characters} UCS-2 units and ${before.segments} segments with a 32-character token, ` +
        `${shortToken.characters} units / ${shortToken.segments} segments with the 16-character token, ` +
        `${shortOrigin.characters} units / ${shortOrigin.segments} segments on a short origin`,
    );
    expect(before.encoding).toBe('UCS-2');
    expect(before.characters - shortToken.characters).toBe(LEGACY_LINK_TOKEN_CHARS - LINK_TOKEN_CHARS);
    expect(shortToken.segments).toBeLessThanOrEqual(before.segments);
    expect(shortOrigin.segments).toBeLessThanOrEqual(shortToken.segments);
  });

  it('saves a segment on a share of alerts that grows with the characters saved', () => {
    // Alerts of every length from 40 to 400 Khmer characters before the link: the share of them that
    // drop a segment is what a network saves on average per supporter and alert.
    const words = alert.replace('{{actionUrl}}', '').replace('{{caseName}}', 'សុខា').repeat(4);
    const share = (url: string, legacy: string) => {
      let saved = 0;
      let total = 0;
      for (let n = 40; n <= 400; n++) {
        const body = `${words.slice(0, n)} `;
        const a = countSegments(body + legacy).segments;
        const b = countSegments(body + url).segments;
        expect(b, `${n} characters`).toBeLessThanOrEqual(a);
        saved += a - b;
        total += a;
      }
      return { saved, total, perAlert: saved / 361 };
    };
    const legacy = `https://alerts.khmer-ua-network.org/a/${legacyToken(key)}`;
    const tokenOnly = share(actionUrl('https://alerts.khmer-ua-network.org', token), legacy);
    const withOrigin = share(actionUrl('https://ua.kh', token), legacy);
    console.info(
      `Khmer alerts of 40-400 characters: the 16-character token saves ${tokenOnly.perAlert.toFixed(2)} segments per alert ` +
        `(${((100 * tokenOnly.saved) / tokenOnly.total).toFixed(1)}% of segments); with a short origin ` +
        `${withOrigin.perAlert.toFixed(2)} (${((100 * withOrigin.saved) / withOrigin.total).toFixed(1)}%)`,
    );
    // 16 of 67 characters a segment: about a quarter of alerts drop one; 38 characters: over half.
    expect(tokenOnly.perAlert).toBeGreaterThan(0.15);
    expect(withOrigin.perAlert).toBeGreaterThan(tokenOnly.perAlert);
  });

  it('keeps a link within the origin plus 20 characters', () => {
    expect(actionUrl('https://ua.kh', token).length - 'https://ua.kh'.length).toBeLessThanOrEqual(20);
  });
});
