import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

// The proto package is CommonJS: take the namespace from its default export under ESM.
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** Key used to encrypt new payloads. */
  currentKeyId: string;
  /** Every key still accepted for decryption (rotation keeps old ones here). */
  keys: Map<string, Buffer>;
}

/** Parses `id1:base64,id2:base64`; each key must be 32 bytes (AES-256). */
export function parsePayloadKeys(spec: string, currentKeyId?: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id, b64] = part.split(':');
    if (!id || !b64) throw new Error('PAYLOAD_KEYS: expected id:base64key entries separated by commas');
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32)
      throw new Error(`PAYLOAD_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    keys.set(id, key);
  }
  const current = currentKeyId ?? [...keys.keys()][0];
  if (!current || !keys.has(current)) throw new Error('PAYLOAD_KEY_ID: names no key present in PAYLOAD_KEYS');
  return { currentKeyId: current, keys };
}

export function generatePayloadKeySpec(id = 'dev1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** AES-256-GCM over the whole serialized payload, so neither data nor its metadata stay in clear. */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keys.currentKeyId;
    const key = this.keys.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadProto.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: new TextEncoder().encode(ENCODING),
          [KEY_ID]: new TextEncoder().encode(keyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || new TextDecoder().decode(encoding) !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      const keyId = keyIdBytes ? new TextDecoder().decode(keyIdBytes) : '';
      const key = this.keys.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with unknown key id "${keyId}"`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return PayloadProto.decode(plain);
    });
  }
}
