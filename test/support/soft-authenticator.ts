import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

const b64url = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');

/**
 * A software passkey (ES256) for tests that must forge what a browser never would: a wrong origin,
 * RP id, challenge or signature. Its COSE public key is stored as a registered passkey would be.
 */
export function softAuthenticator() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  // COSE_Key map {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, CBOR by hand.
  const cose = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
    Buffer.from(jwk.x, 'base64url'),
    Buffer.from([0x22, 0x58, 0x20]),
    Buffer.from(jwk.y, 'base64url'),
  ]);
  const id = b64url(randomBytes(16));
  let counter = 0;
  return {
    id,
    publicKey: new Uint8Array(cose),
    /** An assertion (AuthenticationResponseJSON); `tamper` changes one part of it. */
    assert(opts: { challenge: string; origin: string; rpId: string; key?: KeyObject; counter?: number }) {
      counter = opts.counter ?? counter + 1;
      const authData = Buffer.concat([
        createHash('sha256').update(opts.rpId).digest(),
        Buffer.from([0x05]), // user present + user verified
        Buffer.from([
          (counter >>> 24) & 0xff,
          (counter >>> 16) & 0xff,
          (counter >>> 8) & 0xff,
          counter & 0xff,
        ]),
      ]);
      const clientData = Buffer.from(
        JSON.stringify({
          type: 'webauthn.get',
          challenge: opts.challenge,
          origin: opts.origin,
          crossOrigin: false,
        }),
      );
      const signature = sign(
        'sha256',
        Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
        opts.key ?? privateKey,
      );
      return {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          authenticatorData: b64url(authData),
          clientDataJSON: b64url(clientData),
          signature: b64url(signature),
        },
      };
    },
  };
}
