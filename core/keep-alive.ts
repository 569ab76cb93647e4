import type { Server } from 'node:http';

/**
 * How long our HTTP servers (the API, and the provider sandbox standing in for Twilio and Resend)
 * keep an idle connection open (ms). Node's default (5 s) closes
 * sockets that providers keep alive between bursts; a request written as the server closes its
 * socket is reset unread, and Twilio does not retry an inbound message. Longer than a client's or
 * load balancer's usual idle timeout (60 s), so the client closes first.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Applies KEEP_ALIVE_MS to an HTTP server (headers must be allowed a little longer). */
export function keepConnectionsAlive(server: Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}
