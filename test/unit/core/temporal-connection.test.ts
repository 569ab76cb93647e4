import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPORAL_ADDRESS } from '../../../core/config';
import { temporalConnection } from '../../../core/temporal-connection';

const dir = mkdtempSync(join(tmpdir(), 'temporal-connection-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('temporalConnection (Temporal environment configuration)', () => {
  it('is the local dev server when nothing is set', () => {
    expect(temporalConnection({})).toEqual({ address: DEFAULT_TEMPORAL_ADDRESS });
  });

  it('reads an API key as Temporal Cloud uses it, with TLS on', () => {
    const c = temporalConnection({
      TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233',
      TEMPORAL_API_KEY: 'key-123',
    });
    expect(c).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', apiKey: 'key-123', tls: true });
  });

  it('reads an mTLS certificate pair, the server CA and name from files', () => {
    const c = temporalConnection({
      TEMPORAL_ADDRESS: 'campaigns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', 'CERT BYTES'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', 'KEY BYTES'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem', 'CA BYTES'),
      TEMPORAL_TLS_SERVER_NAME: 'campaigns.a1b2c.tmprl.cloud',
    });
    expect(c.apiKey).toBeUndefined();
    const tls = c.tls as {
      clientCertPair: { crt: Uint8Array; key: Uint8Array };
      serverRootCACertificate: Uint8Array;
      serverNameOverride: string;
    };
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();
    expect(text(tls.clientCertPair.crt)).toBe('CERT BYTES');
    expect(text(tls.clientCertPair.key)).toBe('KEY BYTES');
    expect(text(tls.serverRootCACertificate)).toBe('CA BYTES');
    expect(tls.serverNameOverride).toBe('campaigns.a1b2c.tmprl.cloud');
  });

  it('reads a TOML profile only when TEMPORAL_CONFIG_FILE names one; the environment wins over it', () => {
    const toml = file(
      'temporal.toml',
      '[profile.prod]\naddress = "temporal.internal:7233"\napi_key = "from-file"\n',
    );
    expect(temporalConnection({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toEqual({
      address: 'temporal.internal:7233',
      apiKey: 'from-file',
      tls: true,
    });
    expect(
      temporalConnection({
        TEMPORAL_CONFIG_FILE: toml,
        TEMPORAL_PROFILE: 'prod',
        TEMPORAL_ADDRESS: 'other:7233',
      }).address,
    ).toBe('other:7233');
  });

  it("never reads a developer's own CLI profile from the default place", () => {
    const home = join(dir, 'xdg');
    mkdirSync(join(home, 'temporalio'), { recursive: true });
    writeFileSync(
      join(home, 'temporalio', 'temporal.toml'),
      '[profile.default]\naddress = "elsewhere:7233"\n',
    );
    expect(temporalConnection({ XDG_CONFIG_HOME: home, HOME: dir }).address).toBe(DEFAULT_TEMPORAL_ADDRESS);
  });
});
