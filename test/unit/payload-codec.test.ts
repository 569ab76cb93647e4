import { DefaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, generatePayloadKeySpec, parsePayloadKeys } from '../../core/payload-codec';

const converter = new DefaultPayloadConverter();
const secret = { caseName: 'Kem Sokha', note: 'ដោះលែង' };
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('latin1');

describe('AES-GCM payload codec', () => {
  it('encrypts payloads so their content is not readable, and decrypts them back', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(generatePayloadKeySpec('k1')));
    const [encoded] = await codec.encode([converter.toPayload(secret)]);
    expect(text(encoded!.data)).not.toContain('Kem Sokha');
    expect(new TextDecoder().decode(encoded!.metadata!.encoding)).toBe('binary/encrypted');
    expect(new TextDecoder().decode(encoded!.metadata!['encryption-key-id'])).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(converter.fromPayload(decoded!)).toEqual(secret);
  });

  it('encrypts with the current key and still decrypts payloads made with an older one', async () => {
    const oldSpec = generatePayloadKeySpec('old');
    const newSpec = generatePayloadKeySpec('new');
    const before = new EncryptionCodec(parsePayloadKeys(oldSpec));
    const after = new EncryptionCodec(parsePayloadKeys(`${oldSpec},${newSpec}`, 'new'));
    const [fromBefore] = await before.encode([converter.toPayload(secret)]);
    const [fromAfter] = await after.encode([converter.toPayload(secret)]);
    expect(new TextDecoder().decode(fromAfter!.metadata!['encryption-key-id'])).toBe('new');
    const decoded = await after.decode([fromBefore!, fromAfter!]);
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual([secret, secret]);
  });

  it('refuses a payload whose key is unknown or whose ciphertext was altered', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(generatePayloadKeySpec('a')));
    const stranger = new EncryptionCodec(parsePayloadKeys(generatePayloadKeySpec('b')));
    const [encoded] = await stranger.encode([converter.toPayload(secret)]);
    await expect(codec.decode([encoded!])).rejects.toThrow(/unknown key id "b"/);
    const [mine] = await codec.encode([converter.toPayload(secret)]);
    const tampered = { ...mine!, data: Buffer.from(mine!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
  });

  it('passes through payloads it did not encrypt', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(generatePayloadKeySpec()));
    const plain = converter.toPayload('hello');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('rejects malformed key configuration with a message naming the variable', () => {
    expect(() => parsePayloadKeys('k1:dG9vc2hvcnQ=')).toThrow(/PAYLOAD_KEYS: key k1 must be 32 bytes/);
    expect(() => parsePayloadKeys(generatePayloadKeySpec('k1'), 'k2')).toThrow(/PAYLOAD_KEY_ID/);
  });
});
