// Finds or provisions the Temporal CLI (`temporal server start-dev` runs the dev stack's Temporal).
// Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the cached build, `go install`, the official download.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir, withCacheLock } from './cache-dir';
import { goInstall } from './go-install';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
// The newest tag whose go.mod has no `replace`, so `go install module@version` accepts it.
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

type Log = (line: string) => void;

/** Returns the path of a `temporal` binary that answers `--version`. */
export async function ensureTemporalCli(opts: { cliPath?: string; log: Log }): Promise<string> {
  const { cliPath, log } = opts;
  if (cliPath) {
    const path = resolve(cliPath);
    if (!existsSync(path)) throw new Error(`TEMPORAL_CLI_PATH is set to ${path}, which does not exist.`);
    return path;
  }
  const onPath = await commandPath('temporal');
  if (onPath) return onPath;

  const binDir = join(cacheDir(), 'bin');
  const cached = join(binDir, 'temporal');
  if (await works(cached)) return cached;
  return withCacheLock('temporal-cli', log, async () => {
    if (await works(cached)) return cached;
    mkdirSync(binDir, { recursive: true });
    if (await commandPath('go')) {
      await buildCli(binDir, log);
    } else {
      await download(binDir, log).catch((err: unknown) => {
        throw new Error(
          'The Temporal CLI is missing and could not be provisioned. Provide one of: a Go toolchain ' +
            '(go on PATH; the CLI is then built once into the cache), TEMPORAL_CLI_PATH pointing to a ' +
            `temporal binary, or internet access to download it (${String(err)}).`,
        );
      });
    }
    if (!(await works(cached))) throw new Error(`${cached} was provisioned but does not run \`--version\`.`);
    log(`Temporal CLI ready: ${cached}`);
    return cached;
  });
}

async function buildCli(binDir: string, log: Log): Promise<void> {
  const target = `${CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  log(`building the Temporal CLI from source: go install ${target}`);
  log('first build only: expect several minutes (4–5 on two cores); later runs reuse the binary');
  await goInstall(binDir, [target], log, ['-v']);
}

// Not exercised on the development machines (no internet there); kept deliberately small.
async function download(binDir: string, log: Log): Promise<void> {
  const platform = process.platform === 'darwin' ? 'darwin' : process.platform === 'linux' ? 'linux' : null;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : null;
  if (!platform || !arch) throw new Error(`no release archive for ${process.platform}/${process.arch}`);
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION}?platform=${platform}&arch=${arch}`;
  log(`no Go toolchain found; downloading ${url}`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  const archive = join(binDir, 'temporal-cli.tar.gz');
  writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
  try {
    await exec('tar', ['-xzf', archive, '-C', binDir, 'temporal']);
  } finally {
    rmSync(archive, { force: true });
  }
  chmodSync(join(binDir, 'temporal'), 0o755);
}

async function works(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    await exec(path, ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function commandPath(name: string): Promise<string | null> {
  try {
    return (await exec('sh', ['-c', `command -v ${name}`])).trim() || null;
  } catch {
    return null;
  }
}

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout) => (err ? fail(err) : done(stdout)));
  });
}
