import { describe, expect, it } from 'vitest';
import { normalizeSupporter } from '../../api/import/supporter-input';
import { organizationZone, zoneOfCountry, zoneOfPhone } from '../../api/import/time-zone-inference';

describe('time zones nobody typed', () => {
  it("is the zone of the number's country when it has one, by the country's own name", () => {
    expect(zoneOfPhone('+85512345678')).toBe('Asia/Phnom_Penh');
    expect(zoneOfPhone('+33612345678')).toBe('Europe/Paris');
    expect(zoneOfCountry('GB')).toBe('Europe/London');
    expect(zoneOfCountry('VN')).toBe('Asia/Ho_Chi_Minh');
    expect(zoneOfCountry('TH')).toBe('Asia/Bangkok');
  });

  it('counts zones that keep the same offsets all year as one (Germany)', () => {
    expect(zoneOfCountry('DE')).toBe('Europe/Berlin');
  });

  it('is unknown for a country of several zones', () => {
    expect(zoneOfPhone('+16175550143')).toBeUndefined();
    expect(zoneOfCountry('CA')).toBeUndefined();
    expect(zoneOfCountry('AU')).toBeUndefined();
  });

  it("falls back to the organization's setting, else its region's zone, else UTC", () => {
    expect(organizationZone('America/Chicago', 'US')).toBe('America/Chicago');
    expect(organizationZone(null, 'US')).toBe('America/New_York');
    expect(organizationZone(null, 'FR')).toBe('Europe/Paris');
    expect(organizationZone(null, 'AQ')).toBe('UTC');
  });

  it('a new supporter gets the number zone, else the organization zone, and says which', () => {
    const org = { region: 'US', timezone: 'America/Los_Angeles' };
    const base = { tags: [] };
    const kh = normalizeSupporter({ ...base, phone: '+855 12 345 678' }, org);
    expect('value' in kh && kh.value.zoneIfNew).toEqual({ zone: 'Asia/Phnom_Penh', source: 'phone' });
    const us = normalizeSupporter({ ...base, phone: '617 555 0143' }, org);
    expect('value' in us && us.value.zoneIfNew).toEqual({
      zone: 'America/Los_Angeles',
      source: 'organization',
    });
  });
});
