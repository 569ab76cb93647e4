import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

/** Every byte string and text in a history, as latin1/utf8 text, to search for secrets. */
function flatten(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('latin1'));
  } else if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) flatten(v, out);
  return out;
}

describe('what Temporal stores about a campaign', () => {
  it('holds no contact details and no clear case text; the codec endpoint decodes for an organizer', async () => {
    const phone = '+19785550142';
    const email = 'private.person@example.org';
    await svc.api('/v1/supporters', {
      body: { name: 'Private Person', phone, email, consent: { sms: true, email: true } },
    });
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'custom',
        title: 'Secret case of Sokha Sar',
        content: {
          en: { sms: 'Act for Sokha Sar {{actionUrl}}', subject: 'Sokha Sar', body: 'Act {{actionUrl}}' },
        },
        stages: [{ key: 'alert', at: { after: 'PT0S' }, channel: 'both' }],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    await eventually(
      () => svc.api(`/v1/campaigns/${launched.body.id}`),
      (r) => r.body.status === 'completed',
      'completion',
    );

    // A client without the codec sees what the Temporal server stores.
    const raw = new Client({ connection: svc.temporal.connection, namespace: 'default' });
    const history = await raw.workflow.getHandle(launched.body.workflowId).fetchHistory();
    const stored = flatten(history).join('\n');
    expect(stored.length).toBeGreaterThan(1000);
    for (const secret of [phone, '9785550142', email, 'Private Person', 'Sokha Sar']) {
      expect(stored.includes(secret), `history must not contain ${secret}`).toBe(false);
    }

    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const wire = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(started!.metadata!).map(([k, v]) => [
              k,
              Buffer.from(v as Uint8Array).toString('base64'),
            ]),
          ),
          data: Buffer.from(started!.data!).toString('base64'),
        },
      ],
    };
    const denied = await fetch(`${svc.apiUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(wire),
    });
    expect(denied.status).toBe(401);
    const decoded = await svc.api('/codec/decode', { body: wire });
    expect(decoded.status).toBe(200);
    const json = Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8');
    expect(json).toContain('Secret case of Sokha Sar');
    expect(json).not.toContain(phone);
  });
});
