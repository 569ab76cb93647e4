/**
 * Monitoring surveys: the words put before a question asked again (a reply that did not fit) and
 * before the one reminder of an unanswered question, and the closing thanks. The survey workflow
 * sends these (domain/survey-flow.ts), so they are fixed per release, not per organization: a
 * change here changes what running surveys send, and needs a new version and a `patched()` gate.
 */
export const MONITORING_TEXTS = {
  id: 'monitoring/reminders',
  version: 1,
  reask: { en: 'Sorry, we did not understand. ', km: 'សូមអភ័យទោស យើងមិនយល់ទេ។ ' },
  reminder: { en: 'Reminder: ', km: 'រំលឹក៖ ' },
  thanks: {
    en: 'Thank you. Your answers were received. Reply STOP to opt out.',
    km: 'សូមអរគុណ។ យើងបានទទួលចម្លើយរបស់អ្នកហើយ។ ឆ្លើយ ឈប់ ដើម្បីឈប់ទទួល។',
  },
} as const;
