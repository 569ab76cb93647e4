import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inviteMember } from '../api/services/invitations';
import type { Sql } from '../db/client';
import { countOwners } from '../db/people';
import { createOrganization, createPartner, createToken, findToken } from '../db/tenants';

export interface DevCredentials {
  apiUrl: string;
  /** The organizer console (sign in with a passkey). */
  consoleUrl: string;
  /** The dev organization's first owner invitation: single use, 7 days; open it to register a passkey. */
  ownerInviteUrl: string | null;
  /** Where the dev stack's PostgreSQL listens (its port may have been chosen free at start). */
  databaseUrl: string;
  organizerToken: string;
  partnerId: string;
  partnerSecret: string;
  twilioAuthToken: string;
  resendWebhookSecret: string;
  sandboxUrl: string | null;
  temporalAddress: string;
  temporalUiUrl: string | null;
}

/**
 * Ensures a development organization with an organizer token and a partner exists, and writes
 * .data/dev-credentials.json. Returns created=true the first time (when the caller prints them).
 */
export async function ensureDevCredentials(
  sql: Sql,
  dataDir: string,
  urls: Omit<DevCredentials, 'organizerToken' | 'partnerId' | 'partnerSecret' | 'ownerInviteUrl'>,
  publicBaseUrl: string,
): Promise<{ credentials: DevCredentials; created: boolean; file: string; invited: boolean }> {
  const file = join(dataDir, 'dev-credentials.json');
  if (existsSync(file)) {
    const old = JSON.parse(await readFile(file, 'utf8')) as DevCredentials;
    const known = await findToken(sql, old.organizerToken);
    if (known) {
      // Stacks from before people existed get their first owner invitation once, too.
      const invite =
        old.ownerInviteUrl === undefined ? await firstOwnerInvitation(sql, known.orgId, publicBaseUrl) : null;
      const credentials = { ...old, ...urls, ownerInviteUrl: invite ?? old.ownerInviteUrl ?? null };
      await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      return { credentials, created: false, file, invited: invite !== null };
    }
  }
  const orgId = await createOrganization(sql, { name: 'Development organization' });
  const ownerInviteUrl = await firstOwnerInvitation(sql, orgId, publicBaseUrl);
  const { token } = await createToken(sql, { orgId, role: 'organizer', label: 'dev organizer' });
  const partner = await createPartner(sql, { orgId, name: 'Development partner' });
  await createToken(sql, { orgId, role: 'partner', partnerId: partner.id, label: 'dev partner' });
  const credentials: DevCredentials = {
    ...urls,
    ownerInviteUrl,
    organizerToken: token,
    partnerId: partner.id,
    partnerSecret: partner.secret,
  };
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return { credentials, created: true, file, invited: ownerInviteUrl !== null };
}

export const DEV_OWNER_EMAIL = 'owner@dev.example.org';

/** An invitation of the dev owner, unless the organization already has an owner. */
async function firstOwnerInvitation(sql: Sql, orgId: string, publicBaseUrl: string): Promise<string | null> {
  if ((await countOwners(sql, orgId)) > 0) return null;
  const { url } = await inviteMember(sql, { orgId, email: DEV_OWNER_EMAIL, role: 'owner', publicBaseUrl });
  return url;
}
