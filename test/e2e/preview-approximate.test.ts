import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandOrReject } from '../../api/services/campaign-service';
import { previewCampaign } from '../../api/services/preview';
import { createOrganization } from '../../db/tenants';
import { eventually } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

// Issue 18: a large organization's preview of a rule never counted before answers at once from a
// sample, marked approximate with a 95 % interval; the exact figures follow on a later call.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

const prices = { smsPerSegment: 0.0079, email: 0.001, linkBaseUrl: 'https://act.example.org' };

/** An organization of `n` supporters in one statement: every third without SMS consent, every fifth tagged press. */
async function organization(n: number) {
  const orgId = await createOrganization(svc.sql, { name: `preview approx ${crypto.randomUUID()}` });
  await svc.sql`
    insert into supporters (org_id, name, phone, email, locale, sms_consent, email_consent, tags)
    select ${orgId}, 'Dara ' || i, '+1413555' || lpad(i::text, 4, '0'), 'p' || i || '@example.org',
      case when i % 2 = 0 then 'km' else 'en' end, i % 3 <> 0, true,
      case when i % 5 = 0 then array['network', 'press'] else array['network'] end
    from generate_series(1, ${n}) i`;
  return orgId;
}

const body = {
  kind: 'case_alert',
  title: 'Approximate preview',
  params: { caseName: 'Prisoner', followUpAfter: 'P7D', escalationAfter: 'P14D' },
  audience: { tags: { include: ['network'], exclude: ['press'] } },
  content: { en: { sms: 'Hi {{firstName}}, act now {{actionUrl}}' } },
  action: { url: 'https://example.org/act' },
};

async function preview(
  orgId: string,
  opts?: { largeFrom?: number; sampleRows?: number; exactBelow?: number },
) {
  return previewCampaign(svc.sql, orgId, await expandOrReject(svc.sql, orgId, body), prices, opts);
}

/** A preview's figures without what depends on the time it was made (stage times). */
const figures = (p: Awaited<ReturnType<typeof preview>>) => ({
  audience: p.audience,
  stages: p.stages.map(({ scheduledAt: _, ...rest }) => rest),
});

describe('the preview of a large organization', () => {
  it('answers a new rule from a sample (here the whole table), marked approximate, then exactly', async () => {
    const orgId = await organization(300);
    const exact = await preview(orgId, { largeFrom: Number.POSITIVE_INFINITY });
    expect(exact.approximate).toBe(false);
    expect(exact.approximation).toBeUndefined();
    expect(exact.audience.total).toBe(240);

    // A sample as large as the organization reads every page: the scaled figures are the exact ones.
    const sampled = await preview(orgId, { largeFrom: 100, sampleRows: 1_000_000, exactBelow: 0 });
    expect(sampled.approximate).toBe(true);
    expect(sampled.approximation).toMatchObject({
      method: 'sample',
      sampledShare: 1,
      audienceTotal: { low: 240, high: 240 },
    });
    expect(figures(sampled)).toEqual(figures(exact));

    // The exact figures were computed in the background: the same rule again is exact.
    const again = await eventually(
      () => preview(orgId, { largeFrom: 100, sampleRows: 1_000_000, exactBelow: 0 }),
      (p) => !p.approximate,
      'the exact preview',
    );
    expect(again.approximation).toBeUndefined();
    expect(figures(again)).toEqual(figures(exact));
  });

  it('scales a partial sample up and bounds the audience total around its estimate', async () => {
    const orgId = await organization(2000);
    const [live] = await svc.sql<{ n: number }[]>`
      select count(*)::int as n from supporters where org_id = ${orgId} and not ('press' = any(tags))`;
    const sampled = await preview(orgId, { largeFrom: 100, sampleRows: 500, exactBelow: 0 });
    expect(sampled.approximate).toBe(true);
    const a = sampled.approximation!;
    expect(a.sampledShare).toBe(0.25);
    expect(a.audienceTotal.low).toBeLessThanOrEqual(sampled.audience.total);
    expect(a.audienceTotal.high).toBeGreaterThanOrEqual(sampled.audience.total);
    expect(a.audienceTotal.high).toBeGreaterThan(a.audienceTotal.low);
    const exact = await eventually(
      () => preview(orgId, { largeFrom: 100, sampleRows: 500, exactBelow: 0 }),
      (p) => !p.approximate,
      'the exact preview',
    );
    expect(exact.audience.total).toBe(live!.n);
  });

  it('counts a small audience exactly at once, even in a large organization', async () => {
    const orgId = await organization(200);
    const exact = await preview(orgId, { largeFrom: Number.POSITIVE_INFINITY });
    // 160 supporters: well under the default bound, so the sample sends this rule to an exact count.
    const first = await preview(orgId, { largeFrom: 100, sampleRows: 100 });
    expect(first.approximate).toBe(false);
    expect(figures(first)).toEqual(figures(exact));
  });
});
