import { describe, expect, it } from 'vitest';
import { mayAccess } from '../../../../api/middleware/access';
import { invitationEmail } from '../../../../api/services/invitation-mail';
import { checkTotp, currentTotp, newTotpSecret } from '../../../../api/services/totp';

const ORGANIZER_ROUTES = ['organizer', 'admin'] as const;
const OWNER_ROUTES = ['owner', 'admin'] as const;

describe('who may make which request', () => {
  it('lets owners and organizers change campaigns, and viewers and translators only read', () => {
    for (const role of ['owner', 'organizer', 'admin'] as const)
      expect(mayAccess(role, [...ORGANIZER_ROUTES], 'POST', '/v1/campaigns'), role).toBe(true);
    for (const role of ['viewer', 'translator'] as const) {
      expect(mayAccess(role, [...ORGANIZER_ROUTES], 'GET', '/v1/campaigns'), role).toBe(true);
      expect(mayAccess(role, [...ORGANIZER_ROUTES], 'POST', '/v1/campaigns/preview'), role).toBe(true);
      expect(mayAccess(role, [...ORGANIZER_ROUTES], 'POST', '/v1/campaigns'), role).toBe(false);
      expect(mayAccess(role, [...ORGANIZER_ROUTES], 'DELETE', '/v1/supporters/x'), role).toBe(false);
    }
    expect(mayAccess('partner', [...ORGANIZER_ROUTES], 'GET', '/v1/campaigns')).toBe(false);
  });

  it('lets a translator edit a stage, and nothing else', () => {
    expect(mayAccess('translator', [...ORGANIZER_ROUTES], 'PATCH', '/v1/campaigns/c1/stages/alert')).toBe(
      true,
    );
    expect(mayAccess('viewer', [...ORGANIZER_ROUTES], 'PATCH', '/v1/campaigns/c1/stages/alert')).toBe(false);
    expect(mayAccess('translator', [...ORGANIZER_ROUTES], 'POST', '/v1/campaigns/c1/pause')).toBe(false);
  });

  it('keeps members and tokens to owners', () => {
    expect(mayAccess('owner', [...OWNER_ROUTES], 'GET', '/v1/members')).toBe(true);
    expect(mayAccess('admin', [...OWNER_ROUTES], 'DELETE', '/v1/tokens/x')).toBe(true);
    for (const role of ['organizer', 'translator', 'viewer', 'partner'] as const)
      expect(mayAccess(role, [...OWNER_ROUTES], 'GET', '/v1/members'), role).toBe(false);
  });
});

describe('the invitation email', () => {
  const base = {
    id: 'i1',
    to: 'dara@example.org',
    from: 'UA <ua@example.org>',
    orgName: 'Khmer Network',
    role: 'organizer' as const,
    url: 'http://localhost:3000/console/invite/abc',
    expiresAt: new Date('2027-01-08T00:00:00Z'),
  };

  it("leads with the invitee's language and carries the link in both", () => {
    const km = invitationEmail({ ...base, locale: 'km' });
    const en = invitationEmail({ ...base, locale: 'en' });
    expect(km.subject.startsWith('ការអញ្ជើញ')).toBe(true);
    expect(en.subject.startsWith('Invitation')).toBe(true);
    expect(km.text.indexOf('អ្នកត្រូវបានអញ្ជើញ')).toBeLessThan(km.text.indexOf('You are invited'));
    expect(en.text.indexOf('You are invited')).toBeLessThan(en.text.indexOf('អ្នកត្រូវបានអញ្ជើញ'));
    for (const mail of [km, en]) {
      expect(mail.text.split(base.url).length - 1).toBe(2);
      expect(mail.html).toContain(`href="${base.url}"`);
      expect(mail.text).toContain('2027-01-08');
    }
  });
});

describe('authenticator codes (RFC 6238)', () => {
  it('accepts the current code of its own secret only', () => {
    const { secret, uri } = newTotpSecret('dara@example.org');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(checkTotp(secret, currentTotp(secret))).toBe(true);
    const other = newTotpSecret('x@example.org').secret;
    expect(checkTotp(other, currentTotp(secret))).toBe(false);
    expect(checkTotp(secret, 'abcdef')).toBe(false);
  });
});
