import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from '../db/client';
import { createOrganization, createPartner, createToken, findToken } from '../db/tenants';

export interface DevCredentials {
  apiUrl: string;
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
  urls: Omit<DevCredentials, 'organizerToken' | 'partnerId' | 'partnerSecret'>,
): Promise<{ credentials: DevCredentials; created: boolean; file: string }> {
  const file = join(dataDir, 'dev-credentials.json');
  if (existsSync(file)) {
    const old = JSON.parse(await readFile(file, 'utf8')) as DevCredentials;
    if (await findToken(sql, old.organizerToken)) {
      const credentials = { ...old, ...urls };
      await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      return { credentials, created: false, file };
    }
  }
  const orgId = await createOrganization(sql, { name: 'Development organization' });
  const { token } = await createToken(sql, { orgId, role: 'organizer', label: 'dev organizer' });
  const partner = await createPartner(sql, { orgId, name: 'Development partner' });
  await createToken(sql, { orgId, role: 'partner', partnerId: partner.id, label: 'dev partner' });
  const credentials: DevCredentials = {
    ...urls,
    organizerToken: token,
    partnerId: partner.id,
    partnerSecret: partner.secret,
  };
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return { credentials, created: true, file };
}
