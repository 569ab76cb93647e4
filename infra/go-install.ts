// `go install` into a chosen folder, its output forwarded line by line: the one way this project
// builds Go tools (the Temporal CLI, and the cluster's server, SQL tool and Web UI).
import { spawn } from 'node:child_process';

/**
 * Runs `go install [args…] <targets…>` with GOBIN=`binDir`, logging each output line with the
 * seconds elapsed. Rejects with the exit code and the last 30 lines of output when go fails.
 */
export async function goInstall(
  binDir: string,
  targets: string[],
  log: (line: string) => void,
  args: string[] = [],
): Promise<void> {
  const started = Date.now();
  await new Promise<void>((done, fail) => {
    // `env` adds GOBIN to the inherited environment without this module reading it.
    const child = spawn('env', [`GOBIN=${binDir}`, 'go', 'install', ...args, ...targets], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        log(`[go ${Math.round((Date.now() - started) / 1000)}s] ${line}`);
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done()
        : fail(new Error(`go install ${targets.join(' ')} exited with ${code}:\n${tail.join('\n')}`)),
    );
  });
  log(`go install finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
