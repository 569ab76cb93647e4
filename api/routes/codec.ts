import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Payload } from '@temporalio/common';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { EncryptionCodec } from '../../core/payload-codec';
import type { AppDeps, AppEnv } from '../context';
import { invalid, unauthorized } from '../errors/problem';

// The Temporal UI's remote codec protocol: JSON payloads with base64 metadata values and data.
const wirePayload = z.object({
  metadata: z.record(z.string(), z.string()).default({}),
  data: z.string().default(''),
});
const wireBody = z.object({ payloads: z.array(wirePayload) });

const toPayload = (p: z.infer<typeof wirePayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * POST /codec/encode and /codec/decode for the Temporal Web UI. Guarded by CODEC_AUTH: when on,
 * an organizer or admin bearer token is required (the UI can forward one).
 */
export function registerCodecRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDeps,
  authorize: (authHeader?: string) => Promise<boolean>,
) {
  const codec = new EncryptionCodec(deps.keys);
  app.use(
    '/codec/*',
    cors({
      origin: deps.config.CODEC_CORS_ORIGIN.split(','),
      allowHeaders: ['content-type', 'x-namespace', 'authorization'],
      credentials: true,
    }),
  );
  for (const op of ['encode', 'decode'] as const) {
    app.post(`/codec/${op}`, async (c) => {
      if (deps.config.CODEC_AUTH && !(await authorize(c.req.header('authorization')))) {
        throw unauthorized('The codec needs an organizer or admin token');
      }
      const parsed = wireBody.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw invalid(parsed.error);
      const payloads = parsed.data.payloads.map(toPayload);
      const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      return c.json({ payloads: out.map(toWire) });
    });
  }
}
