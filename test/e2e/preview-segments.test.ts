import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Issue 13, kind 7: the preview counts segments as they will be sent, from the real audience.
let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

let nextLine = 1000 + Math.floor(Math.random() * 8000);
async function supporter(name: string, tags: string[]) {
  const phone = `+1978555${String(nextLine++).padStart(4, '0')}`;
  const res = await svc.api('/v1/supporters', {
    body: { name, phone, tags, timezone: 'America/New_York', consent: { sms: true } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return phone;
}

describe('a preview that matches what is sent', () => {
  it('counts the Khmer-named supporter whose message needs two segments, as the send does', async () => {
    const city = `lowell-${randomBytes(3).toString('hex')}`;
    const marker = randomBytes(4).toString('hex');
    await supporter('Dara Chan', [city]);
    await supporter('សុខា ចាន់', [city]);
    // GSM-7 with a Latin name fits one segment; a Khmer first name makes the whole text UCS-2. The
    // Windows line ending is normalised the same way for preview and send.
    const sms = `Hi {{firstName}},\r\nurgent ${marker}: act now {{actionUrl}}`;
    const body = {
      kind: 'case_alert',
      title: 'Free the prisoner',
      params: { caseName: 'Prisoner', followUpAfter: 'P7D', escalationAfter: 'P14D' },
      audience: { tags: { include: [city] } },
      content: { en: { sms } },
      action: { url: 'https://example.org/act' },
      options: { quietHours: false },
    };
    const preview = await svc.api('/v1/campaigns/preview', { body });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const first = preview.body.stages[0];
    expect(first.sms.en.segments, JSON.stringify(first)).toBe(1);
    expect(first.smsAudience).toEqual({
      maxSegments: 2,
      recipientsAboveFewest: 1,
      bySegments: [
        { segments: 1, recipients: 1 },
        { segments: 2, recipients: 1 },
      ],
    });

    const launched = await svc.api('/v1/campaigns', { body });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const sent = await eventually(
      async () =>
        (await sandboxClient(svc.sandboxUrl).messages({ channel: 'sms' })).filter((m) =>
          m.body?.includes(marker),
        ),
      (items) => items.length === 2,
      'both alerts',
      60_000,
    );
    const segments = sent.map((m) => m.segments).sort();
    expect(segments).toEqual([1, 2]);
    expect(sent.every((m) => !m.body?.includes('\r'))).toBe(true);
    await svc.api(`/v1/campaigns/${launched.body.id}/cancel`, { method: 'POST' });
  });
});
