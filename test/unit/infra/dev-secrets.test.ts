import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateDevSecrets } from '../../../infra/dev-secrets';

describe('dev secrets', () => {
  it('adds a suppression key to a .data/ from before it, keeping every other secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dev-secrets-'));
    try {
      const old = { payloadKeys: 'dev1:x', linkSecret: 'kept-link-secret-0123456789' };
      await writeFile(join(dir, 'dev-secrets.json'), JSON.stringify(old));
      const loaded = await loadOrCreateDevSecrets(dir);
      expect(loaded).toMatchObject(old);
      expect(loaded.suppressionKey.length).toBeGreaterThanOrEqual(32);
      const again = await loadOrCreateDevSecrets(dir);
      expect(again.suppressionKey, 'written once, then reused').toBe(loaded.suppressionKey);
      expect(JSON.parse(await readFile(join(dir, 'dev-secrets.json'), 'utf8')).suppressionKey).toBe(
        loaded.suppressionKey,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
