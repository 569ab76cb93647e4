import type { Recipient, StageRunInfo } from '../db/recipient-page';
import type { DeliveryChannel } from '../domain/channels';
import { firstNameOf, renderHtml, renderSms, renderTemplate } from '../domain/template';
import { actionUrl, unsubscribeUrl } from './links';

export interface RenderedMessage {
  sms?: string;
  subject?: string;
  text?: string;
  html?: string;
  unsubscribeUrl: string;
}

/** The supporter's locale when the stage has it, else the other one: never an empty message by accident. */
/**
 * The placeholders a stage run fills the same way for every recipient and channel (case, targets,
 * UA number, Further Information reference). SMS, the email template and the preview all start
 * from these, so a placeholder added here reaches every channel.
 */
export function stageVars(run: Pick<StageRunInfo, 'content'>) {
  return {
    caseName: run.content.vars.caseName ?? '',
    caseNumber: run.content.vars.caseNumber ?? '',
    targets: run.content.action.targets ?? [],
    uaNumber: run.content.vars.uaNumber ?? '',
    caseRef: run.content.vars.caseRef ?? '',
  };
}

export function renderForRecipient(
  run: StageRunInfo,
  r: Recipient,
  channel: DeliveryChannel,
  token: string,
  publicBaseUrl: string,
): RenderedMessage {
  const content = run.content.content;
  const localized = content[r.locale] ?? content.en ?? content.km ?? {};
  const vars = {
    firstName: firstNameOf(r.name),
    actionUrl: actionUrl(publicBaseUrl, token),
    unsubscribeUrl: unsubscribeUrl(publicBaseUrl, token),
    ...stageVars(run),
  };
  if (channel === 'sms') {
    return {
      sms: localized.sms ? renderSms(localized.sms, vars) : undefined,
      unsubscribeUrl: vars.unsubscribeUrl,
    };
  }
  const body = localized.body ?? localized.sms;
  return {
    subject: localized.subject ? renderTemplate(localized.subject, vars) : undefined,
    text: body ? renderTemplate(body, vars) : undefined,
    html: body ? renderHtml(body, vars) : undefined,
    unsubscribeUrl: vars.unsubscribeUrl,
  };
}
