import { describe, expect, it } from 'vitest';
import { osdiItemToInput, osdiPath } from '../../api/import/osdi-person';
import { zoneForAddress } from '../../api/import/osdi-timezone';
import { partnerCampaignId } from '../../api/services/partner-events';

const person = (p: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  'osdi:submission': { person: p, ...extra },
});

describe('OSDI person', () => {
  it('maps an Action Network submission to a supporter', () => {
    expect(
      osdiItemToInput(
        person(
          {
            given_name: 'Sophea',
            family_name: 'Chan',
            email_addresses: [
              { address: 'old@example.org', primary: false },
              { address: 'sophea@example.org', primary: true, status: 'subscribed' },
            ],
            phone_numbers: [
              { number: '19785550100', primary: true, number_type: 'Mobile', status: 'subscribed' },
            ],
            postal_addresses: [{ primary: true, region: 'MA', country: 'US' }],
            languages_spoken: ['km', 'en'],
          },
          { add_tags: ['lowell', ' ', 'boston'] },
        ),
      ),
    ).toEqual({
      kind: 'osdi:submission',
      warnings: [],
      consent: { sms: true, email: true },
      input: {
        name: 'Sophea Chan',
        phone: '19785550100',
        email: 'sophea@example.org',
        locale: 'km',
        timezone: 'America/New_York',
        tags: ['lowell', 'boston'],
      },
    });
  });

  it('gives SMS consent only when the phone entry says subscribed on a mobile number', () => {
    const sms = (phone: Record<string, unknown>) => {
      const out = osdiItemToInput(person({ phone_numbers: [{ number: '19785550100', ...phone }] }));
      return 'consent' in out ? out.consent.sms : 'error';
    };
    expect(sms({})).toBeUndefined();
    expect(sms({ number_type: 'Mobile' })).toBeUndefined();
    expect(sms({ status: 'subscribed' })).toBe(true);
    expect(sms({ sms_status: 'subscribed', status: 'unsubscribed' })).toBe(true);
    expect(sms({ status: 'unsubscribed' })).toBe(false);
    expect(sms({ status: 'subscribed', number_type: 'Home' })).toBe(false);
    expect(sms({ status: 'subscribed', sms_capable: false })).toBe(false);
  });

  it('treats an email as consent unless its status refuses mail', () => {
    const email = (status?: string) => {
      const out = osdiItemToInput(person({ email_addresses: [{ address: 'a@example.org', status }] }));
      return 'consent' in out ? out.consent.email : 'error';
    };
    expect(email()).toBe(true);
    expect(email('subscribed')).toBe(true);
    expect(email('unsubscribed')).toBe(false);
    expect(email('bouncing')).toBe(false);
    expect(email('spam complaint')).toBe(false);
    const none = osdiItemToInput(person({ given_name: 'No email' }));
    expect('consent' in none && none.consent).toEqual({});
  });

  it('prefers a valid time zone custom field over the address', () => {
    const tz = (custom: unknown) => {
      const out = osdiItemToInput(
        person({ custom_fields: custom, postal_addresses: [{ region: 'CA', country: 'US' }] }),
      );
      return 'input' in out ? out.input.timezone : 'error';
    };
    expect(tz({ timezone: 'Asia/Phnom_Penh' })).toBe('Asia/Phnom_Penh');
    expect(tz({ timezone: 'Mars/Base' })).toBe('America/Los_Angeles');
    expect(zoneForAddress('ON', 'CA')).toBeUndefined();
    expect(zoneForAddress(undefined, 'KH')).toBe('Asia/Phnom_Penh');
  });

  it('refuses only an item without a person, naming it', () => {
    expect(osdiItemToInput({ 'osdi:donation': {} })).toEqual({
      errors: [{ path: 'osdi:donation', message: expect.stringContaining('osdi:submission') }],
    });
    expect(osdiItemToInput({ 'something:else': 1 })).toEqual({
      errors: [{ path: '(item)', message: expect.stringContaining('with a person') }],
    });
    expect(osdiItemToInput(null)).toHaveProperty('errors');
    expect(osdiPath('osdi:outreach', { path: 'tags.0', message: 'm' })).toEqual({
      path: 'osdi:outreach.add_tags',
      message: 'm',
    });
  });

  it('drops an unusable part with a warning and keeps the person', () => {
    const item = osdiItemToInput({
      'osdi:signature': {
        person: { email_addresses: 'a@example.org', phone_numbers: [{ number: 16175550143 }, 'x'] },
      },
    });
    expect(item).toMatchObject({
      kind: 'osdi:signature',
      input: { phone: '16175550143', email: undefined },
      warnings: [
        { path: 'osdi:signature.person.email_addresses', message: expect.stringContaining('not a list') },
        { path: 'osdi:signature.person.phone_numbers.1', message: expect.stringContaining('dropped') },
      ],
    });
  });

  it('reads a phone number sent as a JSON number, as in the OSDI specification example', () => {
    const item = osdiItemToInput(
      person({ email_addresses: [{ address: 'a@example.org' }], phone_numbers: [{ number: 12024444444 }] }),
    );
    expect(item).toMatchObject({ input: { phone: '12024444444', email: 'a@example.org' }, warnings: [] });
  });

  it.each(['action_network:upload', 'action_network:action', 'osdi:donation', 'partner:whatever'])(
    'takes the person of an %s item',
    (kind) => {
      const item = osdiItemToInput({
        [kind]: { person: { email_addresses: [{ address: 'a@example.org' }] } },
      });
      expect(item).toMatchObject({ kind, input: { email: 'a@example.org' } });
    },
  );
});

describe('partner campaign ids', () => {
  it('are UUID v5 values fixed by partner and webhook id', () => {
    const a = partnerCampaignId('p1', 'msg_1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(partnerCampaignId('p1', 'msg_1')).toBe(a);
    expect(partnerCampaignId('p2', 'msg_1')).not.toBe(a);
    expect(partnerCampaignId('p1', 'msg_2')).not.toBe(a);
  });
});
