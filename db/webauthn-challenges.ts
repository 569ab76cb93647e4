import type { Queryable } from './queryable';

const TTL_S = 5 * 60;

/** Stores a ceremony's challenge for five minutes; returns the id the browser's cookie carries. */
export async function saveChallenge(
  sql: Queryable,
  c: { challenge: string; purpose: 'register' | 'authenticate'; personId?: string; invitationId?: string },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into webauthn_challenges (challenge, purpose, person_id, invitation_id, expires_at)
    values (${c.challenge}, ${c.purpose}, ${c.personId ?? null}, ${c.invitationId ?? null},
      now() + make_interval(secs => ${TTL_S}))
    returning id`;
  return row!.id;
}

/** Takes a challenge once: a second verification with the same ceremony finds nothing. */
export async function takeChallenge(
  sql: Queryable,
  id: string | undefined,
  purpose: 'register' | 'authenticate',
) {
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await sql<{ challenge: string; person_id: string | null; invitation_id: string | null }[]>`
    update webauthn_challenges set used_at = now()
    where id = ${id} and purpose = ${purpose} and used_at is null and expires_at > now()
    returning challenge, person_id, invitation_id`;
  return row;
}
