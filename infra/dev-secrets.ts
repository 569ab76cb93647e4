import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePayloadKeySpec } from '../core/payload-codec';

/** Secrets the dev stack makes up once and keeps under .data/ so restarts can read old data. */
export interface DevSecrets {
  payloadKeys: string;
  linkSecret: string;
  suppressionKey: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  resendApiKey: string;
  resendWebhookSecret: string;
}

export async function loadOrCreateDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Partial<DevSecrets>;
    if (kept.suppressionKey) return kept as DevSecrets;
    // A .data/ from before the suppression list: add its key, keep every other secret.
    const upgraded = { ...kept, suppressionKey: randomBytes(32).toString('base64url') } as DevSecrets;
    await writeFile(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const secrets: DevSecrets = {
    payloadKeys: generatePayloadKeySpec('dev1'),
    linkSecret: randomBytes(32).toString('base64url'),
    suppressionKey: randomBytes(32).toString('base64url'),
    twilioAccountSid: `AC${randomBytes(16).toString('hex')}`,
    twilioAuthToken: randomBytes(16).toString('hex'),
    resendApiKey: `re_${randomBytes(16).toString('base64url')}`,
    resendWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
