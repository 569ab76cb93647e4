import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../domain/search-attributes';

/** Namespace retention of closed workflows on the local cluster (a real deployment picks its own). */
const RETENTION = '72h';

/**
 * Registers `namespace` and our Keyword search attributes with the Temporal CLI (what an operator
 * runs once against a new cluster). Both steps accept what already exists, so a restart is fine.
 */
export async function registerNamespace(opts: {
  cli: string;
  address: string;
  namespace: string;
  log: (line: string) => void;
}): Promise<void> {
  const base = ['--address', opts.address, '--namespace', opts.namespace];
  await cli(
    opts.cli,
    ['operator', 'namespace', 'create', ...base, '--retention', RETENTION],
    /already exists|AlreadyExists/i,
  );
  // The frontend caches namespaces (refreshed every 10 s): retry until it knows the new one.
  const deadline = Date.now() + 60_000;
  // One call per attribute: given several --name and one --type, CLI v1.5.1 registers the first only.
  for (const key of SEARCH_ATTRIBUTE_KEYS) {
    for (;;) {
      try {
        await cli(
          opts.cli,
          ['operator', 'search-attribute', 'create', ...base, '--name', key.name, '--type', 'Keyword'],
          /already/i,
        );
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
  opts.log(
    `namespace ${opts.namespace} with search attributes ${SEARCH_ATTRIBUTE_KEYS.map((k) => k.name).join(', ')}`,
  );
}

/**
 * Resolves once a workflow carrying every search attribute starts on `namespace` (then terminates
 * it): the namespace is known to the frontend, the attributes to history, and history owns its
 * shards. The probe's task queue has no worker.
 */
export async function waitForWorkflowStart(
  address: string,
  namespace: string,
  timeoutMs: number,
  dead: () => string | null,
) {
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace });
  let last: unknown;
  try {
    while (Date.now() < deadline) {
      const why = dead();
      if (why) throw new Error(why);
      try {
        const handle = await client.workflow.start('clusterProbe', {
          taskQueue: 'cluster-probe',
          workflowId: `cluster-probe-${randomUUID()}`,
          typedSearchAttributes: SEARCH_ATTRIBUTE_KEYS.map((key) => ({ key, value: 'probe' })),
          workflowExecutionTimeout: '1 minute',
        });
        await handle.terminate('cluster probe').catch(() => {});
        return;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await connection.close();
  }
  throw new Error(
    `no workflow could start on namespace ${namespace} within ${timeoutMs / 1000} s (${describe(last).slice(0, 400)})`,
  );
}

function cli(path: string, args: string[], tolerated: RegExp): Promise<void> {
  return new Promise((done, fail) => {
    execFile(path, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (!err) return done();
      const said = `${stdout}\n${stderr}`.trim();
      if (tolerated.test(said)) return done();
      fail(
        new Error(
          `temporal ${args.slice(0, 3).join(' ')} failed: ${said.split('\n').slice(-2).join(' ').slice(0, 300)}`,
        ),
      );
    });
  });
}

/** The error and its causes on one line (the SDK wraps the server's answer in a generic error). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(': ');
}
