import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceFigures, audienceFiguresOnOneCore } from '../../db/audience-figures';
import { audienceTagsWhere } from '../../db/audience-filter';
import type { ReachRow, SmsNameRow } from '../../db/reach';
import { reachable } from '../../db/reachable';
import { createOrganization } from '../../db/tenants';
import { audienceRule } from '../../domain/audience-rule';
import { type Service, startService } from '../support/service';

// Issue 18: the preview reads a rule's reach and SMS names (and, with a sample, the organization's
// sampled rows) in one statement. It must give what the separate queries it replaced gave.
let svc: Service;
beforeAll(async () => {
  svc = await startService({ roles: [] });
});
afterAll(async () => {
  await svc?.stop();
});

/**
 * An organization of `n` supporters mixing every case the figures tell apart: no phone, no email, no
 * SMS consent, opted out, suppressed, erased, two locales, shared and distinct first names, tags.
 */
async function organization(n: number, prefix: string) {
  const orgId = await createOrganization(svc.sql, { name: `audience figures ${crypto.randomUUID()}` });
  await svc.sql`
    insert into supporters (org_id, name, phone, email, locale, sms_consent, email_consent, tags,
      sms_opted_out_at, email_suppressed_reason, erased_at)
    select ${orgId},
      case when i % 11 = 0 then null when i % 3 = 0 then 'សុភា ' || i else 'Dara ' || (i % 4) end,
      case when i % 7 = 0 then null else ${prefix} || lpad(i::text, 4, '0') end,
      case when i % 4 = 0 then null else 'f' || i || '@example.org' end,
      case when i % 2 = 0 then 'km' else 'en' end,
      i % 5 <> 0, i % 6 <> 0,
      case when i % 9 = 0 then array['network', 'press'] when i % 8 = 0 then array['other']
        else array['network'] end,
      case when i % 13 = 0 then now() end,
      case when i % 17 = 0 then 'bounced' end,
      case when i % 19 = 0 then now() end
    from generate_series(1, ${n}) i`;
  return orgId;
}

const rule = audienceRule({ include: ['network'], exclude: ['press'] }, { select: 'all' });

/** The figures as the preview read them before, one query each. */
async function separately(orgId: string) {
  const reach = await svc.sql<ReachRow[]>`
    select locale, ${reachable(svc.sql, 'sms')} as sms_ok, ${reachable(svc.sql, 'email')} as email_ok,
      (phone is not null or email is not null) as has_contact,
      (sms_opted_out_at is not null or email_opted_out_at is not null
        or sms_suppressed_reason is not null or email_suppressed_reason is not null) as opted_out,
      count(*)::int as n
    from supporters s where s.org_id = ${orgId} and ${audienceTagsWhere(svc.sql, rule)}
    group by 1, 2, 3, 4, 5`;
  const names = await svc.sql<SmsNameRow[]>`
    select locale, name, count(*)::int as n from supporters s
    where s.org_id = ${orgId} and ${audienceTagsWhere(svc.sql, rule)} and ${reachable(svc.sql, 'sms')}
    group by 1, 2`;
  const [all] = await svc.sql<{ n: number }[]>`
    select count(*)::int as n from supporters where org_id = ${orgId}`;
  return { reach: [...reach], names: [...names], orgRows: all!.n };
}

const byKey = <R extends object>(rows: R[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('audienceFigures (one statement)', () => {
  it('gives the reach rows and SMS names the separate queries gave, for this organization only', async () => {
    const orgId = await organization(400, '+1978555');
    // Another organization with the same tags: none of its rows count.
    await organization(50, '+1413555');
    const want = await separately(orgId);
    expect(want.reach.length).toBeGreaterThan(4);
    expect(want.names.length).toBeGreaterThan(4);

    const got = await audienceFigures(svc.sql, orgId, rule);
    expect(byKey(got.reach)).toEqual(byKey(want.reach));
    expect(byKey(got.names)).toEqual(byKey(want.names));
    expect(got.sampledRows).toBeUndefined();

    // On one core (the background computation): the same figures.
    const oneCore = await audienceFiguresOnOneCore(svc.sql, orgId, rule);
    expect(byKey(oneCore.reach)).toEqual(byKey(want.reach));
    expect(byKey(oneCore.names)).toEqual(byKey(want.names));
  });

  it('with a sample of every page: the same counts, and the organization rows the sample held', async () => {
    const orgId = await organization(300, '+1978556');
    const want = await separately(orgId);
    const got = await audienceFigures(svc.sql, orgId, rule, 100);
    expect(byKey(got.reach)).toEqual(byKey(want.reach));
    expect(byKey(got.names)).toEqual(byKey(want.names));
    // Every row of the organization, matched by the rule or not (erased included).
    expect(got.sampledRows).toBe(want.orgRows);
    expect(got.sampledRows).toBe(300);
  });

  it('a rule nobody matches: no rows, and a sample still counts the organization', async () => {
    const orgId = await organization(60, '+1978557');
    const none = audienceRule({ include: ['nobody'], exclude: [] }, { select: 'all' });
    expect(await audienceFigures(svc.sql, orgId, none)).toEqual({ reach: [], names: [] });
    expect(await audienceFigures(svc.sql, orgId, none, 100)).toEqual({
      reach: [],
      names: [],
      sampledRows: 60,
    });
  });
});
