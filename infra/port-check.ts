import { createServer } from 'node:net';
import { portToPid } from 'pid-port';
import { freePort } from './free-port';
import { processCommand } from './process-identity';
import { StartupError } from './startup-error';

/** A port the dev stack is about to bind, and the variable that sets it. */
export interface PortClaim {
  port: number;
  variable: string;
  /** What listens there, for messages ("the Temporal dev server"). */
  what: string;
  /** The variable was not set: the port may move to a free one instead of failing. */
  movable: boolean;
  /** The address it binds; 127.0.0.1 unless given. */
  host?: string;
}

/** True when `port` can be bound on `host` right now. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** " (pid 1234: node api/main.ts)" when the system tells who listens on `port`, else ''. */
export async function portHolder(port: number): Promise<string> {
  const pid = await portToPid({ port, host: '*' }).catch(() => undefined);
  if (!pid) return '';
  const command = processCommand(pid);
  return ` (pid ${pid}${command ? `: ${command}` : ''})`;
}

/**
 * Checks every claim; a taken movable port is replaced by a free one (logged), a taken fixed port
 * fails with a StartupError naming the port, its holder when known, and the variable that moves it.
 * Returns the port to use for each variable.
 */
export async function claimPorts(
  claims: PortClaim[],
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const c of claims) {
    if (await portIsFree(c.port, c.host)) {
      ports[c.variable] = c.port;
      continue;
    }
    const holder = await portHolder(c.port);
    if (!c.movable) {
      throw new StartupError(
        `Port ${c.port} (${c.variable}, ${c.what}) is already in use by another program${holder}; stop that program or set ${c.variable} to a free port.`,
      );
    }
    ports[c.variable] = await freePort();
    log(
      `port ${c.port} for ${c.what} is in use by another program${holder}; using ${ports[c.variable]} instead (set ${c.variable} to choose)`,
    );
  }
  return ports;
}
