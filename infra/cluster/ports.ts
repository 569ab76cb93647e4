import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { MAX_MEMBERSHIP_PORT } from './config';

/** Lowest port handed out: above the well-known and most registered service ports in use locally. */
const LOW = 20_000;

/**
 * A loopback port that is free right now, below 32768. Temporal stores each service's membership
 * port in a SMALLINT column (`cluster_membership.rpc_port`), and the OS's ephemeral ports (what
 * infra/free-port.ts returns) start at 32768 on Linux. Tries random ports; throws after 200 busy ones.
 */
export async function freeClusterPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = randomInt(LOW, MAX_MEMBERSHIP_PORT + 1);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free loopback port between ${LOW} and ${MAX_MEMBERSHIP_PORT} after 200 tries`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
