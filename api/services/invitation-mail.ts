import type { OutgoingEmail } from '../../channels/email-channel';
import type { Locale, MemberRole } from '../../db/people';

const ROLE_NAMES: Record<MemberRole, { en: string; km: string }> = {
  owner: { en: 'owner', km: 'ម្ចាស់' },
  organizer: { en: 'organizer', km: 'អ្នករៀបចំ' },
  translator: { en: 'translator', km: 'អ្នកបកប្រែ' },
  viewer: { en: 'viewer', km: 'អ្នកមើល' },
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/**
 * The invitation email in the invitee's language (Khmer first with English below, or English only):
 * the single-use link, its 7-day validity, and that nobody will ask for a password or a code.
 */
export function invitationEmail(opts: {
  id: string;
  to: string;
  from: string;
  orgName: string;
  role: MemberRole;
  locale: Locale;
  url: string;
  expiresAt: Date;
}): OutgoingEmail {
  const role = ROLE_NAMES[opts.role];
  const until = opts.expiresAt.toISOString().slice(0, 10);
  const en = [
    `You are invited to join ${opts.orgName} on the Urgent Action console as ${role.en}.`,
    `Open this link to accept and create a passkey on your device (no password): ${opts.url}`,
    `The link works once, until ${until}. We never ask for a password or a code by email or SMS.`,
  ];
  const km = [
    `អ្នកត្រូវបានអញ្ជើញឱ្យចូលរួមជាមួយ ${opts.orgName} នៅលើកុងសូល Urgent Action ជា${role.km}។`,
    `បើកតំណនេះ ដើម្បីទទួលយក ហើយបង្កើត passkey នៅលើឧបករណ៍របស់អ្នក (គ្មានពាក្យសម្ងាត់)៖ ${opts.url}`,
    `តំណនេះប្រើបានតែម្តង រហូតដល់ ${until}។ យើងមិនដែលសុំពាក្យសម្ងាត់ ឬលេខកូដ តាមអ៊ីមែល ឬ SMS ទេ។`,
  ];
  const paragraphs = opts.locale === 'km' ? [...km, '', ...en] : [...en, '', ...km];
  const subject =
    opts.locale === 'km'
      ? `ការអញ្ជើញចូលរួម ${opts.orgName} · Invitation to ${opts.orgName}`
      : `Invitation to ${opts.orgName} · ការអញ្ជើញចូលរួម ${opts.orgName}`;
  const html = paragraphs
    .filter((p) => p !== '')
    .map((p) =>
      p.includes(opts.url)
        ? `<p>${escapeHtml(p.replace(opts.url, '')).trimEnd()} <a href="${escapeHtml(opts.url)}">${escapeHtml(opts.url)}</a></p>`
        : `<p lang="${km.includes(p) ? 'km' : 'en'}">${escapeHtml(p)}</p>`,
    )
    .join('\n');
  return {
    to: opts.to,
    from: opts.from,
    subject,
    html,
    text: paragraphs.join('\n'),
    headers: {},
    idempotencyKey: `invitation:${opts.id}`,
  };
}
