// Builds (once, into the per-user cache) what the production-shaped cluster runs: the Temporal server
// and its SQL schema tool at the version the Temporal CLI pins, and the Web UI server the CLI embeds.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, withCacheLock } from '../cache-dir';
import { goInstall } from '../go-install';

/** The server version github.com/temporalio/cli v1.5.1 requires in its go.mod. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The ui-server version the same CLI embeds for `temporal server start-dev`'s Web UI. */
export const TEMPORAL_UI_VERSION = 'v2.42.1';
const SERVER_MODULE = 'go.temporal.io/server';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

type Log = (line: string) => void;

export interface ClusterBinaries {
  /** `server` of go.temporal.io/server/cmd/server. */
  server: string;
  /** `sql` of go.temporal.io/server/cmd/tools/sql (create-database, setup-schema, update-schema). */
  sqlTool: string;
  /** The module's source folder: its `schema/postgresql/v12/...` holds the versioned schema. */
  serverModuleDir: string;
  /** `server` of the ui-server module, or null when it could not be built (the cluster runs without UI). */
  ui: string | null;
}

/**
 * Returns the cluster's binaries, building them with `go install` the first time (about 2 minutes
 * for the server on two cores once the CLI's Go build cache exists; seconds for the SQL tool).
 * Throws with what to do when Go is missing or a build fails.
 */
export async function ensureClusterBinaries(log: Log, opts: { ui?: boolean } = {}): Promise<ClusterBinaries> {
  if (!(await commandPath('go')))
    throw new Error(
      'the production-shaped cluster builds the Temporal server from source and needs a Go toolchain (go on PATH, 1.24 or newer); `npm run dev` and `npm test` need none',
    );
  const binDir = join(cacheDir(), 'cluster', TEMPORAL_SERVER_VERSION);
  const server = join(binDir, 'server');
  const sqlTool = join(binDir, 'sql');
  const ready = async () => (await reportsVersion(server, TEMPORAL_SERVER_VERSION)) && existsSync(sqlTool);
  if (!(await ready()))
    await withCacheLock('temporal-server', log, async () => {
      if (await ready()) return;
      mkdirSync(binDir, { recursive: true });
      log(
        `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool (first run only, a few minutes)`,
      );
      await goInstall(
        binDir,
        [
          `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
          `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
        ],
        log,
      );
      if (!(await ready()))
        throw new Error(`${server} was built but does not report ${TEMPORAL_SERVER_VERSION}`);
    });
  const serverModuleDir = await moduleDir(`${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`);
  let ui: string | null = null;
  if (opts.ui !== false) {
    const uiDir = join(cacheDir(), 'cluster', `ui-${TEMPORAL_UI_VERSION}`);
    ui = join(uiDir, 'server');
    if (!existsSync(ui))
      await withCacheLock('temporal-ui', log, async () => {
        if (existsSync(ui as string)) return;
        mkdirSync(uiDir, { recursive: true });
        log(`building the Temporal Web UI server ${TEMPORAL_UI_VERSION} (first run only)`);
        await goInstall(uiDir, [`${UI_MODULE}/cmd/server@${TEMPORAL_UI_VERSION}`], log);
      }).catch((err: unknown) => {
        log(`the Web UI could not be built, the cluster runs without it: ${String(err).slice(0, 300)}`);
      });
    if (!existsSync(ui)) ui = null;
  }
  return { server, sqlTool, serverModuleDir, ui };
}

/** The module's folder in the Go module cache (downloaded from the module proxy if absent). */
async function moduleDir(moduleAtVersion: string): Promise<string> {
  const out = await exec('go', ['mod', 'download', '-json', moduleAtVersion], 120_000);
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir || !existsSync(dir)) throw new Error(`go mod download ${moduleAtVersion} gave no source folder`);
  return dir;
}

async function reportsVersion(path: string, version: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    return (await exec(path, ['--version'], 30_000)).includes(version.replace(/^v/, ''));
  } catch {
    return false;
  }
}

async function commandPath(name: string): Promise<string | null> {
  try {
    return (await exec('sh', ['-c', `command -v ${name}`], 10_000)).trim() || null;
  } catch {
    return null;
  }
}

function exec(cmd: string, args: string[], timeout: number): Promise<string> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { timeout, maxBuffer: 4 << 20 }, (err, stdout) => (err ? fail(err) : done(stdout)));
  });
}
