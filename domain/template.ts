import { PLACEHOLDER_PATTERN } from './content-schema';

export interface TemplateTarget {
  name: string;
  title?: string;
}

/** Values for the placeholders; an absent value renders as nothing. */
export interface TemplateVars {
  firstName?: string;
  actionUrl?: string;
  unsubscribeUrl?: string;
  caseName?: string;
  caseNumber?: string;
  targets?: readonly TemplateTarget[] | string;
  uaNumber?: string;
  caseRef?: string;
}

/** "Name, Title; Name, Title" (the title is left out when unknown). */
export function formatTargets(targets: readonly TemplateTarget[]): string {
  return targets.map((t) => (t.title ? `${t.name}, ${t.title}` : t.name)).join('; ');
}

function placeholderValue(vars: TemplateVars, name: string): string {
  if (name === 'targets') {
    const targets = vars.targets;
    return typeof targets === 'string' ? targets : formatTargets(targets ?? []);
  }
  const value = Object.hasOwn(vars, name) ? vars[name as keyof Omit<TemplateVars, 'targets'>] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * An SMS as sent and as previewed: placeholders replaced and line endings made \n (a \r\n
 * from a Windows editor would cost a character, and can cost a segment).
 */
export function renderSms(template: string, vars: TemplateVars): string {
  return renderTemplate(template, vars).replace(/\r\n?/g, '\n');
}

/** The first name a message greets: the first word of the supporter's name. */
export const firstNameOf = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] ?? '';

/** Plain text (SMS, email text part): placeholders replaced, unknown or missing ones empty. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER_PATTERN, (_, name: string) => placeholderValue(vars, name));
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const LINKS = new Set(['actionUrl', 'unsubscribeUrl']);

/**
 * HTML email part from a plain-text template: template and values are escaped (an organizer's or a
 * case's "<script>" stays text), blank lines make paragraphs, and http(s) link placeholders become anchors.
 */
export function renderHtml(template: string, vars: TemplateVars): string {
  const paragraphs = template.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return paragraphs
    .filter((p) => p.trim() !== '')
    .map((p) => {
      let html = '';
      let last = 0;
      for (const m of p.matchAll(PLACEHOLDER_PATTERN)) {
        html += escapeHtml(p.slice(last, m.index));
        const name = m[1] ?? '';
        const value = escapeHtml(placeholderValue(vars, name));
        html +=
          LINKS.has(name) && /^https?:\/\//i.test(placeholderValue(vars, name))
            ? `<a href="${value}">${value}</a>`
            : value;
        last = m.index + m[0].length;
      }
      html += escapeHtml(p.slice(last));
      return `<p>${html.split('\n').join('<br>\n')}</p>`;
    })
    .join('\n');
}
