import { randomBytes } from 'node:crypto';
import { renderTemplate } from '../domain/template';
import { benchPhone } from './seed';

/** What every run sends: the same templates the campaign carries, so raw bodies match in length. */
export const SMS_CONTENT = {
  en: { sms: 'URGENT: write to the Minister of Justice to free {{caseName}} {{actionUrl}}' },
  km: { sms: 'សកម្មភាពបន្ទាន់៖ សូមសរសេរទៅកាន់ក្រសួងយុត្តិធម៌ ដើម្បីដោះលែង {{caseName}}។ {{actionUrl}}' },
} as const;
export const CASE_NAME = 'Sokha';

/** POST /v1/campaigns body: one SMS stage that fires at once, whatever the hour. */
export function campaignBody(title: string) {
  return {
    kind: 'custom',
    title,
    params: { caseName: CASE_NAME },
    content: SMS_CONTENT,
    action: { url: 'https://example.org/act', targets: [{ name: 'Minister of Justice' }] },
    stages: [{ key: 'alert', at: { after: 'PT0S' }, channel: 'sms' }],
    options: { quietHours: false },
  };
}

/** The i-th recipient's message as the campaign would render it, with a random link token. */
export function rawMessage(i: number, publicBaseUrl: string): { to: string; body: string } {
  const template = i % 2 === 0 ? SMS_CONTENT.km.sms : SMS_CONTENT.en.sms;
  const token = randomBytes(24).toString('base64url');
  return {
    to: benchPhone(i),
    body: renderTemplate(template, { caseName: CASE_NAME, actionUrl: `${publicBaseUrl}/a/${token}` }),
  };
}
