import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTemporalDevServer } from '../../../infra/temporal-dev-server';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('startTemporalDevServer', () => {
  it("names a panic's reason when the server exits during start, not the last line of its stack", async () => {
    dir = await mkdtemp(join(tmpdir(), 'fake-temporal-'));
    const cli = join(dir, 'temporal');
    const stack = Array.from({ length: 200 }, (_, i) => `\tgoroutine frame ${i} +0x96`).join('\n');
    await writeFile(
      cli,
      `#!/bin/sh\ncat >&2 <<'OUT'\npanic: listen tcp 127.0.0.1:44743: bind: address already in use\n\n${stack}\nOUT\nexit 2\n`,
    );
    await chmod(cli, 0o755);
    await expect(
      startTemporalDevServer({
        cliPath: cli,
        dbFile: join(dir, 'temporal.db'),
        port: 1,
        uiPort: 2,
        headless: true,
        log: () => {},
      }),
    ).rejects.toThrow(/code 2: panic: listen tcp 127\.0\.0\.1:44743: bind: address already in use\)/);
  });
});
