import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { Context } from 'hono';
import { ProblemError } from '../errors/problem';

const tooLarge = (max: number) => new ProblemError(413, 'Payload too large', `Limit is ${max} bytes`);

/**
 * The request body as a Node stream that fails with 413 past `max` bytes. Nothing is buffered:
 * for routes excluded from the app-wide JSON limit (CSV import, OSDI arrays).
 */
export function limitedBodyStream(c: Context, max: number): Readable {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const body = c.req.raw.body;
  if (!body) return Readable.from([]);
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > max ? tooLarge(max) : null, chunk);
    },
  });
  const source = Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>);
  source.on('error', (err) => counter.destroy(err));
  return source.pipe(counter);
}

/** The whole body as text, refused with 413 past `max` bytes. */
export async function limitedText(c: Context, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitedBodyStream(c, max)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
