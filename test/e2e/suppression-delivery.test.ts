import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionKeys } from '../../core/runtime';
import { createSupporter, mobilePhone } from '../support/fixtures';
import { sandboxClient } from '../support/sandbox-client';
import { campaignCompleted, type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

async function launch(tag: string, channel: 'sms' | 'email') {
  const launched = await svc.api('/v1/campaigns', {
    body: {
      kind: 'custom',
      title: 'Suppression check',
      audience: { tags: { include: [tag] } },
      content: { en: { sms: 'Act now {{actionUrl}}', subject: 'Act now', body: 'Please act {{actionUrl}}' } },
      stages: [{ key: 'alert', at: { after: 'PT0S' }, channel }],
      options: { quietHours: false },
    },
  });
  expect(launched.status, JSON.stringify(launched.body)).toBe(201);
  await campaignCompleted(svc, launched.body.id);
  return launched.body.id as string;
}

/** A record written straight to the table, as one racing an opt-out would be: consent, no opt-out on it. */
async function unflaggedRecord(tag: string, contact: { phone?: string; email?: string }) {
  const id = await createSupporter(svc.sql, svc.orgId, {
    phone: contact.phone ?? null,
    email: contact.email ?? null,
  });
  await svc.sql`update supporters set tags = ${[tag]} where id = ${id}`;
  return id;
}

describe('a campaign never reaches a suppressed number or address', () => {
  it('texts neither a number that said ឈប់ before it was added, nor one stopped, erased and re-imported', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `supp-${randomBytes(4).toString('hex')}`;
    const [khmer, erased, listedOnly, control] = [mobilePhone(), mobilePhone(), mobilePhone(), mobilePhone()];

    // A number nobody has texts ឈប់ (through the sandbox, signed by the twilio SDK), then is added with consent.
    expect((await sandbox.inbound(khmer, 'ឈប់')).status).toBe(200);
    const added = await svc.api('/v1/supporters', {
      body: { phone: khmer, tags: [tag], consent: { sms: true } },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.suppressed.sms).toMatchObject({ source: 'sms_keyword' });

    // A supporter stops, is erased, and comes back through a CSV import claiming consent.
    const first = await svc.api('/v1/supporters', { body: { phone: erased, consent: { sms: true } } });
    expect((await sandbox.inbound(erased, 'STOP')).status).toBe(200);
    expect((await svc.api(`/v1/supporters/${first.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const imported = await fetch(`${svc.apiUrl}/v1/supporters/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'text/csv' },
      body: `name,phone,email,locale,timezone,tags,sms_consent,email_consent\nBack,${erased},,en,UTC,${tag},yes,no\n`,
    });
    expect(await imported.json()).toMatchObject({
      created: 1,
      suppressed: [{ row: 2, channel: 'sms', source: 'sms_keyword' }],
    });

    // The send consults the list itself, not only the record: this record shows no opt-out.
    const keys = suppressionKeys(svc.config);
    await svc.sql`insert into suppressions (channel, scope, contact_key, source)
      values ('sms', ${keys.scope.sms}, ${keys.keyOf('sms', listedOnly)}, 'sms_keyword')`;
    const racing = await unflaggedRecord(tag, { phone: listedOnly });

    await svc.api('/v1/supporters', { body: { phone: control, tags: [tag], consent: { sms: true } } });
    const campaignId = await launch(tag, 'sms');

    expect(await sandbox.messages({ channel: 'sms', to: control }), 'the campaign did text').toHaveLength(1);
    for (const phone of [khmer, erased, listedOnly]) {
      expect(await sandbox.messages({ channel: 'sms', to: phone }), phone).toEqual([]);
    }
    const excluded = await svc.sql<{ supporter_id: string; status: string; error_code: string }[]>`
      select d.supporter_id, d.status, d.error_code from deliveries d
      join stage_runs r on r.id = d.stage_run_id where r.campaign_id = ${campaignId} and d.status = 'excluded'`;
    expect(excluded).toHaveLength(3);
    expect(excluded.every((d) => d.error_code === 'opted_out')).toBe(true);
    expect(excluded.map((d) => d.supporter_id)).toContain(racing);
  });

  it('emails no address on the list, even when its record shows no opt-out', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const tag = `supp-${randomBytes(4).toString('hex')}`;
    const [listed, control] = [`l-${tag}@example.org`, `c-${tag}@example.org`];
    const keys = suppressionKeys(svc.config);
    await svc.sql`insert into suppressions (channel, scope, contact_key, source)
      values ('email', ${keys.scope.email}, ${keys.keyOf('email', listed)}, 'complaint')`;
    await unflaggedRecord(tag, { email: listed });
    await unflaggedRecord(tag, { email: control });
    await launch(tag, 'email');
    expect(await sandbox.messages({ channel: 'email', to: control })).toHaveLength(1);
    expect(await sandbox.messages({ channel: 'email', to: listed })).toEqual([]);
  });
});
