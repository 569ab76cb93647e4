import { randomBytes } from 'node:crypto';
import { escapeHtml, renderHtml, renderTemplate, type TemplateVars } from '../../domain/template';
import type { CaseEssentials } from './case-essentials';
import { renderMjml } from './mjml';
import { EMAIL_WORDS, FONT_STACK, LINE_HEIGHT } from './words';

/** Everything one stage's email says in one language; per-recipient values are filled in later. */
export interface EmailLayoutInput {
  locale: 'en' | 'km';
  organization: {
    name: string;
    logoUrl: string | null;
    postalAddress: string | null;
    /** How supporters reach a person (helpContact), else null. */
    contact: string | null;
    /** Replies are read (a Reply-To is set): the footer says so when there is no contact. */
    readsReplies: boolean;
  };
  /** Templates as the organizer wrote them ({{placeholders}} allowed). */
  subject: string;
  body: string;
  /** Run-wide placeholder values (case name, number, targets); first name and links are per recipient. */
  vars: Omit<TemplateVars, 'firstName' | 'actionUrl' | 'unsubscribeUrl'>;
  /** Origin of the links, e.g. https://alerts.example.org. */
  linkBaseUrl: string;
  /** Show the action button (the stage has somewhere to send supporters). */
  hasAction: boolean;
  /** The action button's words when not "Take action" (a monitoring round: "Answer the survey"). */
  buttonLabel?: string;
  caseSheet?: CaseEssentials;
}

/** One rendered layout: HTML and text with markers where each recipient's name and token go. */
export interface EmailLayout {
  subject: string;
  html: string;
  text: string;
  /** The unsubscribe URL with the token marker (for the List-Unsubscribe header). */
  unsubscribeUrl: string;
}

// Markers the layout carries in place of per-recipient values: letters and digits only, so neither
// MJML nor HTML escaping changes them, and random so no organizer's text contains them.
const NONCE = randomBytes(6).toString('hex');
const FIRST_NAME = `zqfirst${NONCE}qz`;
const TOKEN = `zqtoken${NONCE}qz`;

const PREHEADER_GRAPHEMES = 110;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first ~110 graphemes of the message, never cut inside a Khmer cluster. */
function preheaderOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const parts = [...graphemes.segment(flat)].map((s) => s.segment);
  return parts.length <= PREHEADER_GRAPHEMES
    ? flat
    : `${parts.slice(0, PREHEADER_GRAPHEMES).join('').trimEnd()}…`;
}

function caseBlock(
  c: CaseEssentials,
  w: Pick<(typeof EMAIL_WORDS)['en' | 'km'], 'caseNumber' | 'persons' | 'concern'>,
) {
  const rows = [
    c.uaNumber ? [w.caseNumber, c.uaNumber] : undefined,
    c.persons.length > 0 ? [w.persons, c.persons.join(', ')] : undefined,
    c.concern ? [w.concern, c.concern] : undefined,
  ].filter((r): r is string[] => r !== undefined);
  const html = rows.map(([k, v]) => `<strong>${escapeHtml(k!)}:</strong> ${escapeHtml(v!)}`).join('<br>');
  const text = rows.map(([k, v]) => `${k}: ${v}`).join('\n');
  return { html, text };
}

/**
 * Renders the email frame once per stage and language (MJML costs ~15 ms a render): organization
 * name and logo, the subject as heading, the case essentials, the message, the action button with
 * its link written out, and a footer in the recipient's language (why they receive it, contact,
 * postal address, unsubscribe). The text part is built from the same pieces.
 */
export async function renderEmailLayout(input: EmailLayoutInput): Promise<EmailLayout> {
  const { locale, organization: org } = input;
  const w = { ...EMAIL_WORDS[locale], ...(input.buttonLabel ? { button: input.buttonLabel } : {}) };
  const actionUrl = `${input.linkBaseUrl}/a/${TOKEN}`;
  const unsubscribeUrl = `${input.linkBaseUrl}/u/${TOKEN}`;
  const vars: TemplateVars = { ...input.vars, firstName: FIRST_NAME, actionUrl, unsubscribeUrl };
  const subject = renderTemplate(input.subject, { ...vars, firstName: '' })
    .replace(/\s+/g, ' ')
    .trim();
  const bodyText = renderTemplate(input.body, vars).replace(/\r\n?/g, '\n').trim();
  const preheader = preheaderOf(renderTemplate(input.body, { ...vars, firstName: '' }));
  const kase = input.caseSheet ? caseBlock(input.caseSheet, w) : undefined;
  const e = escapeHtml;
  const address = org.postalAddress ? e(org.postalAddress).split('\n').join('<br>') : '';
  const contactLine = org.contact ? `${w.contact} ${org.contact}` : org.readsReplies ? w.replyHint : '';

  const mjml = `<mjml lang="${locale}" dir="ltr">
  <mj-head>
    <mj-title>${e(subject)}</mj-title>
    <mj-preview>${e(preheader)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT_STACK[locale]}" />
      <mj-text font-size="16px" line-height="${LINE_HEIGHT[locale]}" color="#1f2937" padding="0 24px" />
      <mj-section padding="0" />
    </mj-attributes>
    <mj-style>
      p { margin: 0 0 16px; }
      a { color: #1d4ed8; }
      .footer a { color: #374151; }
      h1 { font-size: 24px; line-height: ${LINE_HEIGHT[locale]}; margin: 0 0 16px; color: #111827; }
    </mj-style>
  </mj-head>
  <mj-body background-color="#f3f4f6" width="600px">
    <mj-section padding="24px 0 12px">
      <mj-column>
        ${org.logoUrl ? `<mj-image src="${e(org.logoUrl)}" alt="${e(org.name)}" width="160px" align="left" padding="0 24px 8px" />` : ''}
        <mj-text font-size="15px" font-weight="700" color="#374151" css-class="org-name">${e(org.name)}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="28px 0 20px" border-radius="8px">
      <mj-column>
        <mj-text><h1>${e(subject)}</h1></mj-text>
        ${kase ? `<mj-text css-class="case-sheet" padding="0 24px 16px"><div style="background:#fef3c7;border-left:4px solid #b45309;padding:12px 16px;">${kase.html}</div></mj-text>` : ''}
        <mj-text css-class="message">${renderHtml(input.body, vars)}</mj-text>
        ${
          input.hasAction
            ? `<mj-button href="${e(actionUrl)}" background-color="#b91c1c" color="#ffffff" font-size="17px" font-weight="700" border-radius="6px" inner-padding="14px 28px" align="left" padding="8px 24px 16px" css-class="action">${e(w.button)}</mj-button>
        <mj-text font-size="14px" color="#4b5563" css-class="action-link">${e(w.linkHint)}<br><a href="${e(actionUrl)}">${e(actionUrl)}</a></mj-text>`
            : ''
        }
      </mj-column>
    </mj-section>
    <mj-section padding="16px 0 32px">
      <mj-column>
        <mj-text font-size="13px" color="#4b5563" css-class="footer">
          <p>${e(w.why(org.name))}</p>
          ${contactLine ? `<p>${e(contactLine)}</p>` : ''}
          ${address ? `<p>${e(org.name)}<br>${address}</p>` : ''}
          <p><a href="${e(unsubscribeUrl)}">${e(w.unsubscribe)}</a></p>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

  const text = [
    org.name,
    '',
    subject,
    '',
    ...(kase ? [kase.text, ''] : []),
    bodyText,
    '',
    ...(input.hasAction ? [`${w.button}: ${actionUrl}`, ''] : []),
    '--',
    w.why(org.name),
    ...(contactLine ? [contactLine] : []),
    ...(org.postalAddress ? [org.postalAddress] : []),
    `${w.unsubscribe}: ${unsubscribeUrl}`,
  ].join('\n');
  return { subject, html: await renderMjml(mjml), text, unsubscribeUrl };
}

/** One recipient's email from a layout: their first name and their delivery's link token filled in. */
export function fillEmail(layout: EmailLayout, r: { firstName: string; token: string }) {
  const fill = (s: string, name: string) => s.replaceAll(FIRST_NAME, name).replaceAll(TOKEN, r.token);
  return {
    subject: layout.subject,
    html: fill(layout.html, escapeHtml(r.firstName)),
    text: fill(layout.text, r.firstName),
    unsubscribeUrl: fill(layout.unsubscribeUrl, ''),
  };
}
