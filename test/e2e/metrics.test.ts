import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRows,
  launchCampaign,
  resetSandbox,
  storeSupporters,
  waitForCampaign,
} from '../support/delivery-harness';
import { randomEmail, validPhone } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// GET /metrics after a campaign through the sandbox: counters agree with the database, and no label
// carries a contact detail, a name or a token.
let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

type Samples = Map<string, number>;

/** Prometheus text → `name{labels}` → value (comments skipped). */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const scrape = async () => {
  const res = await fetch(`${svc.apiUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};
const value = (s: Samples, key: string) => s.get(key) ?? 0;

describe('GET /metrics', () => {
  it('counts a campaign as the database records it, with no contact detail in any label', async () => {
    await resetSandbox(svc.sandboxUrl);
    const sandbox = sandboxClient(svc.sandboxUrl);
    const people = Array.from({ length: 12 }, (_, i) => ({
      name: `Sokha Chan${i} Seeded`,
      phone: validPhone(),
      email: randomEmail(`metrics${i}`),
    }));
    const failing = people[0]!.phone;
    const bouncing = people[1]!.email;
    await sandbox.setFaults({ failNumbers: [failing], failTwilioCode: 21211, bounceNumbers: [bouncing] });
    await storeSupporters(
      svc,
      svc.orgId,
      people.map((p) => ({ ...p, consent: { sms: true, email: true } })),
    );
    // One without consent: excluded, counted as a deferral by reason.
    await storeSupporters(svc, svc.orgId, [{ name: 'No Consent Seeded', phone: validPhone() }]);
    const before = parse(await scrape());

    const org = { orgId: svc.orgId, api: svc.api };
    const id = await launchCampaign(org, {
      stages: [{ key: 'alert', channel: 'both' }],
      content: {
        en: {
          sms: 'Urgent: act for {{caseName}} {{actionUrl}}',
          subject: 'Act now',
          body: 'Act: {{actionUrl}}',
        },
      },
    });
    await waitForCampaign(org, id);
    // Callbacks settle: 11 SMS and 12 emails final at the provider.
    await eventually(
      () => deliveryRows(svc, id),
      (rows) => rows.filter((r) => ['delivered', 'failed', 'undelivered'].includes(r.status)).length === 24,
      'every delivery final',
    );
    const reply = await sandbox.inbound(people[2]!.phone, 'STOP');
    expect(reply.status).toBe(200);
    const refused = await fetch(`${svc.apiUrl}/v1/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: 'MessageSid=SM1&MessageStatus=delivered',
    });
    expect(refused.status).toBe(403);

    const text = await scrape();
    const after = parse(text);
    const delta = (key: string) => value(after, key) - value(before, key);
    const rows = await deliveryRows(svc, id);
    const count = (channel: string, status: string) =>
      rows.filter((r) => r.channel === channel && r.status === status).length;
    for (const channel of ['sms', 'email'])
      for (const status of ['delivered', 'failed', 'undelivered', 'excluded'])
        expect(
          delta(`campaign_messages_total{channel="${channel}",status="${status}"}`),
          `${channel} ${status}`,
        ).toBe(count(channel, status));
    expect(count('sms', 'delivered')).toBe(11);
    expect(count('email', 'failed')).toBe(1);
    expect(delta('campaign_deferrals_total{channel="sms",reason="no_consent"}')).toBe(1);
    expect(delta('campaign_provider_errors_total{channel="sms",kind="permanent"}')).toBe(1);
    expect(delta('campaign_inbound_replies_total{intent="opt_out"}')).toBe(1);
    expect(delta('campaign_webhook_refusals_total{source="twilio_status",reason="forbidden"}')).toBe(1);
    expect(delta('campaign_page_duration_seconds_count{channel="sms"}')).toBeGreaterThanOrEqual(1);
    expect(delta('campaign_status_callback_lag_seconds_count{channel="email"}')).toBeGreaterThanOrEqual(12);

    // Labels only from fixed vocabularies: none of the seeded details, and no token.
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).join('\n');
    const seeded = [
      ...people.flatMap((p) => [p.name, p.phone, p.phone.slice(2), p.email, p.email.split('@')[0]!]),
      'No Consent Seeded',
      svc.token,
      svc.ownerToken,
      svc.config.TWILIO_AUTH_TOKEN!,
    ];
    for (const s of seeded) expect(labels.includes(s), `label contains ${s}`).toBe(false);
  });

  it('answers only the scrape token when METRICS_TOKEN is set, never an org API token', async () => {
    const token = 'scrape-token-0123456789';
    // One API per port: the first service makes room.
    await svc.stop();
    svc = undefined as unknown as Service;
    const secured = await startService({ env: { METRICS_TOKEN: token } });
    try {
      const res = await secured.app.request('/metrics', {
        headers: { authorization: `Bearer ${secured.token}` },
      });
      expect(res.status).toBe(401);
      const ok = await secured.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('campaign_messages_total');
    } finally {
      await secured.stop();
    }
  });
});
