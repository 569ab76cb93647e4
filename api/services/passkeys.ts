import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Sql } from '../../db/client';
import { addPasskey, findPasskey, listPasskeys, type StoredPasskey, usePasskey } from '../../db/passkeys';
import { saveChallenge, takeChallenge } from '../../db/webauthn-challenges';

/** The relying party: the public origin and its host (WebAuthn refuses IP addresses as RP ids). */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export const relyingParty = (publicBaseUrl: string): RelyingParty => {
  const url = new URL(publicBaseUrl);
  return { id: url.hostname, name: 'Urgent Action console', origin: url.origin };
};

/** Registration options for a person (discoverable credential, user verification required). */
export async function registrationOptions(
  sql: Sql,
  rp: RelyingParty,
  who: { personId?: string; invitationId?: string; email: string; name: string },
) {
  const existing = who.personId ? await listPasskeys(sql, who.personId) : [];
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: who.email,
    userDisplayName: who.name || who.email,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const challengeId = await saveChallenge(sql, {
    challenge: options.challenge,
    purpose: 'register',
    personId: who.personId,
    invitationId: who.invitationId,
  });
  return { options, challengeId };
}

/**
 * Verifies a registration against the stored challenge (used once); returns the new credential, not
 * yet stored, or undefined when the challenge, origin, RP id or attestation does not check out.
 */
export async function verifyRegistration(
  sql: Sql,
  rp: RelyingParty,
  challengeId: string | undefined,
  response: unknown,
) {
  const challenge = await takeChallenge(sql, challengeId, 'register');
  if (!challenge) return undefined;
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!result.verified || !result.registrationInfo) return undefined;
    const { credential } = result.registrationInfo;
    return {
      challenge,
      credential: {
        id: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: (credential.transports ?? []) as string[],
      },
    };
  } catch {
    return undefined;
  }
}

export async function storePasskey(
  sql: Sql,
  personId: string,
  credential: { id: string; publicKey: Uint8Array; counter: number; transports: string[] },
  name: string,
) {
  await addPasskey(sql, { ...credential, personId, name });
}

export async function authenticationOptions(sql: Sql, rp: RelyingParty) {
  // No allowCredentials: discoverable credentials, the authenticator offers the person's own.
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required' });
  const challengeId = await saveChallenge(sql, { challenge: options.challenge, purpose: 'authenticate' });
  return { options, challengeId };
}

/**
 * The passkey that signed this assertion, its counter and last use recorded; undefined for a wrong or
 * used challenge, origin, RP id, signature, an unknown credential or a replayed response.
 */
export async function verifyAuthentication(
  sql: Sql,
  rp: RelyingParty,
  challengeId: string | undefined,
  response: unknown,
): Promise<StoredPasskey | undefined> {
  const id = (response as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id.length > 1024) return undefined;
  const challenge = await takeChallenge(sql, challengeId, 'authenticate');
  if (!challenge) return undefined;
  const passkey = await findPasskey(sql, id);
  if (!passkey) return undefined;
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
    });
    if (!result.verified) return undefined;
    if (!(await usePasskey(sql, passkey.id, passkey.counter, result.authenticationInfo.newCounter)))
      return undefined;
    return passkey;
  } catch {
    return undefined;
  }
}
