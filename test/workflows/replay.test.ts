import { readdir, readFile } from 'node:fs/promises';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundle } from './support/harness';

const dir = new URL('../histories/', import.meta.url);

describe('recorded campaign histories', () => {
  it('replay against the current workflow code (a non-determinism here would break running campaigns)', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.binpb')).sort();
    // At least one history per playbook; older versions (case_alert.v1.binpb…) stay alongside.
    for (const playbook of ['case_alert', 'election_boycott', 'sanctions_lobbying']) {
      expect(
        files.some((f) => f.startsWith(`${playbook}.`)),
        `a recorded ${playbook} history`,
      ).toBe(true);
    }
    // The survey conversations from before patch 'survey-pump' and after it.
    for (const survey of ['survey_monitoring.pre-pump.binpb', 'survey_monitoring.pump.binpb'])
      expect(files, `a recorded ${survey}`).toContain(survey);
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
  }, 300_000);
});
