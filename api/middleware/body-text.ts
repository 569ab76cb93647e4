import { Readable } from 'node:stream';
import type { Context } from 'hono';

/**
 * The request body as text. Under the Node server it is read straight from the socket stream:
 * `c.req.text()` makes the adapter build a web Request and a web stream first, which cost a fifth of
 * a status callback's CPU. Elsewhere (app.request in tests), or once something has started reading
 * the stream, it goes through `c.req.text()`.
 */
export async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof Readable) || incoming.readableDidRead) return c.req.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
