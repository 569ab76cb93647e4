import { readdir, readFile } from 'node:fs/promises';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundle } from './support/harness';

const dir = new URL('../histories/', import.meta.url);

describe('recorded campaign histories', () => {
  it('replay against the current workflow code (a non-determinism here would break running campaigns)', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.binpb')).sort();
    expect(files).toEqual(['case_alert.binpb', 'election_boycott.binpb', 'sanctions_lobbying.binpb']);
    const workflowBundle = await bundle();
    const histories = await Promise.all(
      files.map(async (f) => ({
        workflowId: f,
        history: proto.temporal.api.history.v1.History.decode(await readFile(new URL(f, dir))),
      })),
    );
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
