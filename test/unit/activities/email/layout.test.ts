import { describe, expect, it } from 'vitest';
import { caseEssentials } from '../../../../activities/email/case-essentials';
import { type EmailLayoutInput, fillEmail, renderEmailLayout } from '../../../../activities/email/layout';
import { EMAIL_WORDS } from '../../../../activities/email/words';
import { emailSenderPatchSchema, fromHeader } from '../../../../domain/email-sender';

const base = 'https://alerts.ua-network.example';
const token = 'AbCdEfGhIjKlMnOp';

const input = (over: Partial<EmailLayoutInput> = {}): EmailLayoutInput => ({
  locale: 'en',
  organization: {
    name: 'Khmer UA Network',
    logoUrl: 'https://ua-network.example/logo.png',
    postalAddress: 'PO Box 123\nLowell, MA 01852',
    contact: 'help@ua-network.example',
    readsReplies: true,
  },
  subject: 'Act now for {{caseName}}',
  body: 'Dear {{firstName}},\n\n{{caseName}} is detained. Write to {{targets}}: {{actionUrl}}',
  vars: { caseName: 'Sokha', targets: [{ name: 'Minister of Justice' }] },
  linkBaseUrl: base,
  hasAction: true,
  ...over,
});

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
const urls = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);

describe('the email template', () => {
  it('links only to our tracked and unsubscribe links, and the text part carries the same ones', async () => {
    const mail = fillEmail(await renderEmailLayout(input()), { firstName: 'Mike', token });
    const ours = new Set([`${base}/a/${token}`, `${base}/u/${token}`]);
    expect(new Set(hrefs(mail.html))).toEqual(ours);
    expect(new Set(urls(mail.text))).toEqual(ours);
    expect(mail.unsubscribeUrl).toBe(`${base}/u/${token}`);
    // No web font or any other third-party stylesheet.
    expect(mail.html).not.toMatch(/<link\b|@import|googleapis/);
  });

  it('has the organization, the subject as heading, a button, a preheader and the footer in English', async () => {
    const mail = fillEmail(await renderEmailLayout(input()), { firstName: 'Mike', token });
    expect(mail.subject).toBe('Act now for Sokha');
    expect(mail.html).toMatch(/<html lang="en" dir="ltr"/);
    expect(mail.html).toContain('<h1>Act now for Sokha</h1>');
    expect(mail.html).toContain('src="https://ua-network.example/logo.png"');
    expect(mail.html).toContain('Dear Mike,');
    expect(mail.html).toContain('Take action');
    expect(mail.html).toContain(EMAIL_WORDS.en.why('Khmer UA Network'));
    expect(mail.html).toContain('PO Box 123<br>Lowell, MA 01852');
    // The preheader: hidden text that inboxes show after the subject.
    expect(mail.html).toMatch(/display:none[^>]*>\s*Dear ,/);
    expect(mail.text).toContain('Dear Mike,');
    expect(mail.text).toContain(`Take action: ${base}/a/${token}`);
    expect(mail.text).toContain('PO Box 123\nLowell, MA 01852');
  });

  it('speaks Khmer around a Khmer message: lang, Khmer font stack, footer and button', async () => {
    const layout = await renderEmailLayout(
      input({
        locale: 'km',
        subject: 'បន្ទាន់៖ {{caseName}}',
        body: 'ជំរាបសួរ {{firstName}}\n\nសូមជួយ {{caseName}}។',
      }),
    );
    const mail = fillEmail(layout, { firstName: 'ដារា', token });
    expect(mail.html).toMatch(/<html lang="km" dir="ltr"/);
    expect(mail.html).toContain("font-family:'Noto Sans Khmer'");
    for (const words of [
      EMAIL_WORDS.km.button,
      EMAIL_WORDS.km.unsubscribe,
      EMAIL_WORDS.km.why('Khmer UA Network'),
    ])
      expect(mail.html).toContain(words);
    expect(mail.html).not.toContain(EMAIL_WORDS.en.unsubscribe);
    expect(mail.text).toContain(`${EMAIL_WORDS.km.unsubscribe}: ${base}/u/${token}`);
    expect(mail.html).toContain('ជំរាបសួរ ដារា');
  });

  it('escapes what organizers and supporters typed', async () => {
    const layout = await renderEmailLayout(
      input({
        organization: { ...input().organization, name: 'UA <script>', postalAddress: '<b>1</b> Main St' },
        subject: '<img src=x> {{caseName}}',
        body: 'Hi {{firstName}} <mj-include path="/etc/passwd" />',
      }),
    );
    const mail = fillEmail(layout, { firstName: '<i>Dara</i>', token });
    expect(mail.html).not.toMatch(/<script>|<img src=x>|<b>1<\/b>|<i>Dara|<mj-include/);
    expect(mail.html).toContain('&lt;i&gt;Dara&lt;/i&gt;');
    expect(mail.text).toContain('Hi <i>Dara</i>');
  });

  it('shows no button where the stage has nowhere to send supporters, and a reply hint without a contact', async () => {
    const layout = await renderEmailLayout(
      input({
        hasAction: false,
        body: 'News only.',
        organization: { ...input().organization, contact: null },
      }),
    );
    const mail = fillEmail(layout, { firstName: 'Mike', token });
    expect(hrefs(mail.html)).toEqual([`${base}/u/${token}`]);
    expect(mail.html).toContain(EMAIL_WORDS.en.replyHint);
  });

  it("shows a case sheet's essentials in the recipient's language", async () => {
    const sheet = {
      uaNumber: 'UA 12/23',
      persons: [{ name: 'Kem Sokha' }, { name: { en: 'Meach Sovannara', km: 'មាជ សុវណ្ណារ៉ា' } }],
      concern: { en: 'Arbitrary detention', km: 'ការឃុំខ្លួនដោយបំពាន' },
      recommendedActions: { en: ['Write'] },
    };
    expect(caseEssentials(sheet, 'km')).toEqual({
      uaNumber: 'UA 12/23',
      persons: ['Kem Sokha', 'មាជ សុវណ្ណារ៉ា'],
      concern: 'ការឃុំខ្លួនដោយបំពាន',
    });
    expect(caseEssentials({ persons: 'not a list' }, 'en')).toBeUndefined();
    expect(caseEssentials(undefined, 'en')).toBeUndefined();
    const mail = fillEmail(
      await renderEmailLayout(input({ locale: 'km', caseSheet: caseEssentials(sheet, 'km') })),
      { firstName: 'ដារា', token },
    );
    expect(mail.html).toContain('ការឃុំខ្លួនដោយបំពាន');
    expect(mail.text).toContain(`${EMAIL_WORDS.km.caseNumber}: UA 12/23`);
  });
});

describe('email sender settings', () => {
  it('accepts a sender name, Reply-To, postal address and https logo, and names each bad field', () => {
    expect(
      emailSenderPatchSchema.safeParse({
        senderName: 'បណ្តាញ UA',
        replyTo: 'team@ua.example',
        postalAddress: 'PO Box 1\r\nLowell',
        logoUrl: 'https://ua.example/logo.png',
      }).data,
    ).toEqual({
      senderName: 'បណ្តាញ UA',
      replyTo: 'team@ua.example',
      postalAddress: 'PO Box 1\nLowell',
      logoUrl: 'https://ua.example/logo.png',
    });
    const bad = emailSenderPatchSchema.safeParse({
      senderName: 'UA <alerts@evil.example>',
      replyTo: 'nobody',
      postalAddress: '1\n2\n3\n4\n5',
      logoUrl: 'http://ua.example/logo.png',
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'logoUrl',
      'postalAddress',
      'replyTo',
      'senderName',
    ]);
  });

  it('puts the display name before the configured address, quoted', () => {
    expect(fromHeader('Urgent Action <alerts@ua.example>', 'Khmer UA, Lowell')).toBe(
      '"Khmer UA, Lowell" <alerts@ua.example>',
    );
    expect(fromHeader('alerts@ua.example', 'UA')).toBe('"UA" <alerts@ua.example>');
  });
});
