import type { OutgoingEmail } from '../../channels/email-channel';
import { organizationSettings } from '../../db/organization-settings';
import type { Queryable } from '../../db/queryable';
import type { Recipient, StageRunInfo } from '../../db/recipient-page';
import { fromHeader } from '../../domain/email-sender';
import { firstNameOf } from '../../domain/template';
import { stageVars } from '../render';
import { caseEssentials } from './case-essentials';
import { type EmailLayout, fillEmail, renderEmailLayout } from './layout';
import { EMAIL_WORDS } from './words';

type Locale = 'en' | 'km';

/** A stage run's email, rendered once per language for a page of recipients. */
export interface StageEmail {
  byLocale: Partial<Record<Locale, EmailLayout>>;
  from: string;
  replyTo: string | undefined;
}

/** The language a supporter is written in: theirs when the stage has it, else English, else Khmer. */
export function contentLocale(run: StageRunInfo, locale: Locale): Locale | undefined {
  const c = run.content.content;
  if (c[locale]) return locale;
  return c.en ? 'en' : c.km ? 'km' : undefined;
}

/**
 * Renders the stage's email in each language it has (a subject and a body, or an SMS text as the
 * body), framed with the organization's sender settings. `from` is the configured sender address.
 */
export async function prepareStageEmail(
  sql: Queryable,
  run: StageRunInfo,
  opts: { from: string; linkBaseUrl: string },
): Promise<StageEmail> {
  const org = await organizationSettings(sql, run.orgId);
  const name = org?.name ?? '';
  const sender = org?.email;
  const sheet = run.content.case;
  const byLocale: StageEmail['byLocale'] = {};
  for (const locale of ['en', 'km'] as const) {
    const localized = run.content.content[locale];
    const body = localized?.body ?? localized?.sms;
    if (!localized?.subject || !body) continue;
    const caseSheet = caseEssentials(sheet, locale);
    byLocale[locale] = await renderEmailLayout({
      locale,
      organization: {
        name,
        logoUrl: sender?.logoUrl ?? null,
        postalAddress: sender?.postalAddress ?? null,
        contact: org?.helpContact ?? null,
        readsReplies: Boolean(sender?.replyTo),
      },
      subject: localized.subject,
      body,
      vars: stageVars(run),
      linkBaseUrl: opts.linkBaseUrl,
      hasAction:
        Boolean(run.content.action.url) || caseSheet !== undefined || run.content.surveyForm === true,
      ...(run.content.surveyForm ? { buttonLabel: EMAIL_WORDS[locale].surveyButton } : {}),
      caseSheet,
    });
  }
  return {
    byLocale,
    from: name || sender?.senderName ? fromHeader(opts.from, sender?.senderName ?? name) : opts.from,
    replyTo: sender?.replyTo ?? undefined,
  };
}

/** One supporter's email (without its idempotency key), or undefined when the stage has none for them. */
export function composeEmail(
  stage: StageEmail,
  run: StageRunInfo,
  r: Recipient,
  token: string,
): Omit<OutgoingEmail, 'idempotencyKey'> | undefined {
  const locale = contentLocale(run, r.locale);
  const layout = locale && stage.byLocale[locale];
  if (!layout || !r.email) return undefined;
  const mail = fillEmail(layout, { firstName: firstNameOf(r.name), token });
  return {
    to: r.email,
    from: stage.from,
    ...(stage.replyTo ? { replyTo: stage.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
      'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
