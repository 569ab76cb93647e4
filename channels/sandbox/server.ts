import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { keepConnectionsAlive } from '../../core/keep-alive';
import { createSandboxApp, type SandboxOptions } from './app';
import type { SandboxDeps } from './context';

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback by default: the sandbox has no auth on its /sandbox routes. */
  host?: string;
}

export interface RunningSandbox {
  url: string;
  port: number;
  deps: SandboxDeps;
  /** Resolves once every scheduled status callback has been posted or has failed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(opts: StartSandboxOptions): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const { app, deps } = createSandboxApp(opts);
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const server = serve({ fetch: app.fetch, port: opts.port, hostname: host }, (info: AddressInfo) =>
        resolve({ server, port: info.port }),
      );
      server.once('error', reject);
    },
  );
  // Providers keep connections open longer than Node's 5 s default; so does the stand-in, so a
  // client reusing a socket never writes into one the sandbox is closing.
  keepConnectionsAlive(server as Server);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    deps,
    idle: () => deps.callbacks.idle(),
    close: async () => {
      await deps.callbacks.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
