import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDone } from '../../db/action-events';
import { uniqueTag } from '../support/generators';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Every path that computes an audience, in an organization where most supporters are outside it.
let svc: Service;
beforeAll(async () => {
  svc = await startService();
  // Others who must never be reached: untagged, and tagged for other cities or partners.
  const others = Array.from({ length: 24 }, (_, i) => ({
    tags: i % 3 === 0 ? [] : i % 3 === 1 ? ['phnom-penh'] : ['other-partner'],
  }));
  for (const o of others) await supporter(o.tags);
});
afterAll(async () => {
  await svc?.stop();
});

const sandbox = () => sandboxClient(svc.sandboxUrl);
let nextLine = 3000 + Math.floor(Math.random() * 6000);

/** A supporter with SMS consent and these tags, through the API; returns the phone. */
async function supporter(tags: string[], consent = true): Promise<string> {
  // Valid for libphonenumber (random area codes are not): 978-555-xxxx, distinct within this file.
  const phone = `+1978555${String(nextLine++).padStart(4, '0')}`;
  const res = await svc.api('/v1/supporters', { body: { phone, tags, consent: { sms: consent } } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return phone;
}

/** Phones that got an SMS whose body contains `marker`, sorted. */
async function reached(marker: string): Promise<string[]> {
  const items = await sandbox().messages({ channel: 'sms' });
  return [...new Set(items.filter((m) => m.body?.includes(marker)).map((m) => m.to))].sort();
}

const stageOf = (
  body: { stages: Array<{ key: string; status: string; counts: Record<string, number> }> },
  key: string,
) => body.stages.find((s) => s.key === key);

describe('audiences never reach beyond what the organizer chose', () => {
  it('sends case updates to "all", "recipients" and "acted" within the campaign audience only', async () => {
    const city = uniqueTag('lowell');
    const members = [await supporter([city]), await supporter([city, 'staff'])];
    const excluded = await supporter([city, 'at-risk']);
    const marker = randomBytes(4).toString('hex');
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'custom',
        title: 'Two people',
        audience: { tags: { include: [city], exclude: ['at-risk'] } },
        content: { en: { sms: `Alert ${marker} {{actionUrl}}` } },
        stages: [
          { key: 'alert', at: { after: 'PT0S' }, channel: 'sms' },
          { key: 'later', at: { after: 'PT1H' }, channel: 'sms' },
        ],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id;
    const detail = () => svc.api(`/v1/campaigns/${id}`);
    // The pending `later` stage keeps the campaign open for case updates.
    await eventually(detail, (r) => stageOf(r.body, 'alert')?.status === 'done', 'the alert');
    expect(await reached(`Alert ${marker}`)).toEqual([...members].sort());

    const update = async (audience: string, text: string) => {
      const res = await svc.api(`/v1/campaigns/${id}/case-updates`, {
        body: { content: { en: { sms: text } }, audience },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await eventually(detail, (r) => stageOf(r.body, res.body.key)?.status === 'done', `update ${audience}`);
    };
    // Someone joins the city after the alert: in the campaign's audience, not among its recipients.
    const newcomer = await supporter([city]);
    await update('all', `All ${marker}`);
    expect(await reached(`All ${marker}`)).toEqual([...members, newcomer].sort());
    await update('recipients', `Recipients ${marker}`);
    expect(await reached(`Recipients ${marker}`)).toEqual([...members].sort());

    const [acted] = await svc.sql<{ id: string }[]>`
      select id from supporters where org_id = ${svc.orgId} and phone = ${members[0]!}`;
    await recordDone(
      svc.sql,
      { orgId: svc.orgId, campaignId: id, supporterId: acted!.id, stageRunId: null },
      'test',
    );
    await update('acted', `Acted ${marker}`);
    expect(await reached(`Acted ${marker}`)).toEqual([members[0]!]);

    const closure = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { content: { en: { sms: `Closed ${marker}` } }, audience: 'all', resolution: 'released' },
    });
    expect(closure.status).toBe(202);
    await eventually(detail, (r) => r.body.status === 'closed', 'closure');
    expect(await reached(`Closed ${marker}`)).toEqual([...members, newcomer].sort());
    expect(await reached(marker)).not.toContain(excluded);
  });

  /** A case alert to three tagged supporters where nobody acts, follow-up and escalation seconds apart. */
  async function escalatingCaseAlert(widenTo?: { tags: { include: string[] } }) {
    const city = uniqueTag('boston');
    const three = [await supporter([city]), await supporter([city]), await supporter([city])];
    const partner = uniqueTag('partners');
    const partners = [await supporter([partner]), await supporter([partner, 'phnom-penh'])];
    // Widening never passes consent or the campaign's exclusions.
    const partnerWithoutConsent = await supporter([partner], false);
    const excludedPartner = await supporter([partner, 'at-risk']);
    const marker = randomBytes(4).toString('hex');
    const body = {
      kind: 'case_alert',
      title: 'Free the prisoner',
      params: {
        caseName: 'Prisoner',
        followUpAfter: 'PT3S',
        escalationAfter: 'PT6S',
        ...(widenTo ? { widenTo: { tags: { include: widenTo.tags.include.map(() => partner) } } } : {}),
      },
      audience: { tags: { include: [city], exclude: ['at-risk'] } },
      content: { en: { sms: `UA ${marker} {{actionUrl}}` } },
      action: { url: 'https://example.org/act' },
      options: { quietHours: false },
    };
    const preview = await svc.api('/v1/campaigns/preview', { body });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const launched = await svc.api('/v1/campaigns', { body });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id;
    const done = await eventually(
      () => svc.api(`/v1/campaigns/${id}`),
      (r) => r.body.status === 'completed',
      'the campaign to complete',
      90_000,
    );
    return {
      three,
      partners,
      strangers: [partnerWithoutConsent, excludedPartner],
      marker,
      preview: preview.body,
      done: done.body,
    };
  }

  it('escalates to the same three when no widenTo is named, as the preview said', async () => {
    const run = await escalatingCaseAlert();
    const escalation = stageOf(run.done, 'escalation');
    expect(escalation).toMatchObject({ status: 'done', counts: { targeted: 3, sent: 3 } });
    expect(await reached(`UA ${run.marker}`)).toEqual([...run.three].sort());
    expect(run.done.escalations[0]).toMatchObject({
      stageKey: 'follow-up',
      step: 'notify_organizers',
      ifActionRateBelow: 0.2,
      widenedTo: null,
    });
    const previewed = run.preview.stages.find((s: { key: string }) => s.key === 'escalation');
    expect(previewed.recipients).toBe(3);
    expect(previewed.ifWidened).toBeUndefined();
  });

  it('escalates to the three plus the two the widening names, and the preview showed both audiences', async () => {
    const run = await escalatingCaseAlert({ tags: { include: ['partners'] } });
    const escalation = stageOf(run.done, 'escalation');
    expect(escalation).toMatchObject({ status: 'done', counts: { targeted: 6, sent: 5 } });
    const got = await reached(`UA ${run.marker}`);
    expect(got).toEqual([...run.three, ...run.partners].sort());
    for (const stranger of run.strangers) expect(got).not.toContain(stranger);
    expect(run.done.escalations[0]).toMatchObject({
      stageKey: 'follow-up',
      step: 'widen_audience',
      ifActionRateBelow: 0.2,
      widenedTo: { tags: { include: [expect.stringMatching(/^partners-/)], exclude: [] } },
    });
    const previewed = run.preview.stages.find((s: { key: string }) => s.key === 'escalation');
    expect(previewed.recipients).toBe(3);
    expect(previewed.ifWidened).toMatchObject({
      by: [{ stageKey: 'follow-up', ifActionRateBelow: 0.2 }],
      recipients: 5,
    });
    expect(previewed.ifWidened.estimatedCost.sms).toBeGreaterThan(previewed.estimatedCost.sms);
    // Stages before the widening cannot be widened.
    expect(run.preview.stages.find((s: { key: string }) => s.key === 'follow-up').ifWidened).toBeUndefined();
  });

  it("applies a stage's own tags to widened supporters too: a stage for one city never reaches partners elsewhere", async () => {
    const [campaign, city, partner] = [uniqueTag('cambodia-ua'), uniqueTag('lowell'), uniqueTag('partners')];
    const inCity = await supporter([campaign, city]);
    const elsewhere = await supporter([campaign]);
    const partnerInCity = await supporter([partner, city]);
    const partnerElsewhere = await supporter([partner]);
    const marker = randomBytes(4).toString('hex');
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'custom',
        title: 'Vigil',
        audience: { tags: { include: [campaign] } },
        content: { en: { sms: `Alert ${marker} {{actionUrl}}` } },
        stages: [
          {
            key: 'alert',
            at: { after: 'PT0S' },
            channel: 'sms',
            escalation: {
              ifActionRateBelow: 1,
              // biome-ignore lint/suspicious/noThenProperty: API.md names the escalation step `then`
              then: 'widen_audience',
              widenTo: { tags: { include: [partner] } },
            },
          },
          {
            key: 'vigil',
            at: { after: 'PT3S' },
            channel: 'sms',
            audience: { tags: { include: [city] } },
            content: { en: { sms: `Vigil ${marker}` } },
          },
        ],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    await eventually(
      () => svc.api(`/v1/campaigns/${launched.body.id}`),
      (r) => r.body.status === 'completed',
      'the campaign to complete',
      90_000,
    );
    expect(await reached(`Alert ${marker}`)).toEqual([inCity, elsewhere].sort());
    expect(await reached(`Vigil ${marker}`)).toEqual([inCity, partnerInCity].sort());
    expect(await reached(marker)).not.toContain(partnerElsewhere);
  });

  it('refuses widen_audience without widenTo, naming the path', async () => {
    const res = await svc.api('/v1/campaigns', {
      body: {
        kind: 'case_alert',
        title: 'Free the prisoner',
        params: { caseName: 'Prisoner' },
        content: { en: { sms: 'Act {{actionUrl}}' } },
        action: { url: 'https://example.org/act' },
        // biome-ignore lint/suspicious/noThenProperty: API.md names the escalation step `then`
        stages: [{ key: 'follow-up', escalation: { ifActionRateBelow: 0.2, then: 'widen_audience' } }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'stages.0.escalation.widenTo', message: expect.stringContaining('required') },
    ]);
  });
});
