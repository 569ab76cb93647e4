import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// The sandbox is shared by every test file, and other files text random +1978555xxxx numbers (one
// of them was once +19785550101): this file's own sender tells its messages apart.
const FROM = '+15005550121';
let svc: Service;
beforeAll(async () => {
  svc = await startService({ env: { TWILIO_FROM_NUMBER: FROM } });
});
afterAll(async () => {
  await svc?.stop();
});

const khmerAlert = 'សកម្មភាពបន្ទាន់៖ សូមសរសេរទៅកាន់ក្រសួងយុត្តិធម៌ ដើម្បីដោះលែង {{caseName}}។ {{actionUrl}}';

describe('a campaign through the real stack (API → Temporal → workers → Postgres → sandbox)', () => {
  it('sends each eligible supporter the alert once, in their language, on the channel they can receive', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const supporters = [
      { name: 'Dara', phone: '+1 978 555 0101', locale: 'km', consent: { sms: true, email: false } },
      { name: 'Chenda', phone: '+1 978 555 0102', locale: 'km', consent: { sms: true, email: false } },
      { name: 'Mike', email: 'mike@example.org', locale: 'en', consent: { sms: false, email: true } },
      { name: 'Nobody', email: 'noconsent@example.org', locale: 'en', consent: { sms: false, email: false } },
      { name: 'Other', phone: '+1 978 555 0109', tags: ['boston'], consent: { sms: true, email: true } },
    ];
    for (const s of supporters) {
      const res = await svc.api('/v1/supporters', { body: { tags: ['lowell'], ...s } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const launched = await svc.api('/v1/campaigns', {
      headers: { 'idempotency-key': 'e2e-alert-1' },
      body: {
        kind: 'custom',
        title: 'Free Sokha',
        params: { caseName: 'Sokha' },
        audience: { tags: { include: ['lowell'], exclude: ['boston'] } },
        content: {
          en: {
            sms: 'Urgent: write to free {{caseName}} {{actionUrl}}',
            subject: 'Act now for {{caseName}}',
            body: 'Dear {{firstName}}, please act: {{actionUrl}}',
          },
          km: { sms: khmerAlert },
        },
        action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
        stages: [{ key: 'alert', at: { after: 'PT0S' }, channel: 'sms_then_email' }],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id;
    expect(launched.body.workflowId).toBe(`campaign-${id}`);

    const replay = await svc.api('/v1/campaigns', {
      headers: { 'idempotency-key': 'e2e-alert-1' },
      body: {
        kind: 'custom',
        title: 'Free Sokha',
        stages: [{ key: 'alert', at: { after: 'PT0S' } }],
        content: { en: { sms: 'x' } },
      },
    });
    expect(replay.body.id, 'the same Idempotency-Key returns the same campaign').toBe(id);

    const done = await eventually(
      () => svc.api(`/v1/campaigns/${id}`),
      (r) => r.body.status === 'completed',
      'the campaign to complete',
    );
    const alert = done.body.stages.find((s: { key: string }) => s.key === 'alert');
    expect(alert, JSON.stringify(done.body)).toMatchObject({
      status: 'done',
      counts: { targeted: 4, sent: 3 },
    });

    const sms = (await sandbox.messages({ channel: 'sms' })).filter((m) => m.from === FROM);
    expect(sms.map((m) => m.to).sort()).toEqual(['+19785550101', '+19785550102']);
    for (const m of sms) {
      expect(m.body).toContain('ដោះលែង Sokha');
      expect(m.body).toMatch(/\/a\/[\w-]{16}$/);
    }
    const email = await sandbox.messages({ channel: 'email', to: 'mike@example.org' });
    expect(email).toHaveLength(1);
    expect(email[0]!.subject).toBe('Act now for Sokha');
    expect(email[0]!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(await sandbox.messages({ to: 'noconsent@example.org' })).toHaveLength(0);
    expect((await sandbox.stats()).maxPerRecipientPerBody).toBe(1);

    const rows = await svc.sql<
      {
        channel: string;
        status: string;
        encoding: string | null;
        segments: number | null;
        error_code: string | null;
      }[]
    >`
      select d.channel, d.status, d.encoding, d.segments, d.error_code from deliveries d
      join stage_runs r on r.id = d.stage_run_id where r.campaign_id = ${id} order by d.channel, d.status`;
    const smsRows = rows.filter(
      (r) => r.channel === 'sms' && ['accepted', 'sent', 'delivered'].includes(r.status),
    );
    expect(smsRows).toHaveLength(2);
    for (const r of smsRows) expect(r).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(
      rows
        .filter((r) => r.status === 'excluded')
        .map((r) => `${r.channel}:${r.error_code}`)
        .sort(),
    ).toEqual(['email:no_consent', 'sms:no_contact', 'sms:no_contact']);
  });
});
