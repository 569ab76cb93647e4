import type { Recipient, StageRunInfo } from '../db/recipient-page';
import { firstNameOf, renderSms } from '../domain/template';
import { actionUrl, unsubscribeUrl } from './links';

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

/**
 * One supporter's SMS text, in their locale when the stage has it, else the other one (never an
 * empty message by accident); undefined when the stage has no SMS text. Email is rendered by the
 * template in activities/email/.
 */
export function renderSmsFor(
  run: StageRunInfo,
  r: Recipient,
  token: string,
  baseUrl: string,
): string | undefined {
  const content = run.content.content;
  const localized = content[r.locale] ?? content.en ?? content.km ?? {};
  if (!localized.sms) return undefined;
  return renderSms(localized.sms, {
    firstName: firstNameOf(r.name),
    actionUrl: actionUrl(baseUrl, token),
    unsubscribeUrl: unsubscribeUrl(baseUrl, token),
    ...stageVars(run),
  });
}
