import type { Hono } from 'hono';
import { z } from 'zod';
import { deliveryChannelSchema } from '../../domain/channels';
import type { SandboxDeps } from './context';
import { faultsSchema } from './faults';
import { fieldErrors, jsonBody, problem } from './problem';
import { countSmsSegments } from './segments';
import type { SandboxMessage } from './store';

const inboundSchema = z.object({
  from: z.string().min(1),
  body: z.string().min(1),
  to: z.string().min(1).optional(),
});

const inboundEmailSchema = z.object({
  from: z.string().min(1).max(400),
  to: z.union([z.string().min(1).max(400), z.array(z.string().min(1).max(400)).min(1).max(50)]),
  subject: z.string().max(1000).default(''),
  text: z.string().max(200_000).default(''),
});

const listQuery = z.object({
  channel: deliveryChannelSchema.optional(),
  to: z.string().min(1).optional(),
  /** Only messages accepted after the first `after` (a count from an earlier answer's `next`). */
  after: z.coerce.number().int().min(0).optional(),
});

function publicView(m: SandboxMessage) {
  const { seq: _seq, updatedAt: _updatedAt, messagingServiceSid: _mss, ...view } = m;
  return view;
}

/** The sandbox's own routes under /sandbox: inspect, reset, inject faults, simulate replies. */
export function registerControlRoutes(app: Hono, deps: SandboxDeps): void {
  app.get('/sandbox/messages', (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return problem(c, 400, 'Invalid query', undefined, fieldErrors(q.error));
    const { channel, to, after } = q.data;
    // Messages are kept in acceptance order, so `next` lets a poller read only what is new.
    const all = deps.store.messages;
    const items = (after === undefined ? all : all.slice(after))
      .filter((m) => channel === undefined || m.channel === channel)
      .filter((m) => to === undefined || m.to.split(', ').includes(to))
      .map(publicView);
    return c.json({ items, next: all.length });
  });

  app.delete('/sandbox/messages', async (c) => {
    await deps.callbacks.cancelPending();
    deps.store.reset();
    deps.idempotency.clear();
    return c.body(null, 204);
  });

  app.get('/sandbox/stats', (c) => c.json(deps.store.stats()));

  app.get('/sandbox/faults', (c) => c.json(deps.faults.config));

  app.put('/sandbox/faults', async (c) => {
    const parsed = faultsSchema.safeParse(await jsonBody(c));
    if (!parsed.success) return problem(c, 400, 'Invalid faults', undefined, fieldErrors(parsed.error));
    deps.faults.set(parsed.data);
    return c.json(deps.faults.config);
  });

  app.delete('/sandbox/faults', (c) => {
    deps.faults.reset();
    return c.body(null, 204);
  });

  // Resend Inbound: an email to a receiving address (a campaign's reply address) → signed email.received.
  app.post('/sandbox/inbound-email', async (c) => {
    const parsed = inboundEmailSchema.safeParse(await jsonBody(c));
    if (!parsed.success)
      return problem(c, 400, 'Invalid inbound email', undefined, fieldErrors(parsed.error));
    const { from, to, subject, text } = parsed.data;
    try {
      const answer = await deps.callbacks.postInboundEmail({
        from,
        to: Array.isArray(to) ? to : [to],
        subject,
        text,
      });
      return c.json(answer);
    } catch (err) {
      const reason = err instanceof Error ? err.name : 'unknown error';
      return problem(c, 502, 'The API did not answer', `posting the inbound email failed: ${reason}`);
    }
  });

  app.post('/sandbox/inbound', async (c) => {
    const parsed = inboundSchema.safeParse(await jsonBody(c));
    if (!parsed.success)
      return problem(c, 400, 'Invalid inbound message', undefined, fieldErrors(parsed.error));
    const { from, body } = parsed.data;
    try {
      const answer = await deps.callbacks.postInbound({
        from,
        body,
        to: parsed.data.to ?? deps.inboundTo,
        segments: countSmsSegments(body),
      });
      return c.json(answer);
    } catch (err) {
      // The transport's reason (a timeout, a reset connection), never the message.
      const code = (err as { code?: unknown }).code;
      const reason =
        typeof code === 'string' ? code : err instanceof Error ? err.message.slice(0, 80) : 'unknown error';
      return problem(c, 502, 'The API did not answer', `posting the inbound message failed: ${reason}`);
    }
  });
}
