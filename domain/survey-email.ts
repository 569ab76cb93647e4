import type { Survey } from './survey-schema';

/**
 * The email of a monitoring round (channel `email` or `sms_then_email`): a subject, the survey's
 * intro and how long it takes; the email frame (activities/email/) adds the "Answer the survey"
 * button to the form page (`/a/<token>`) and the unsubscribe link. Khmer wording to be reviewed by
 * the organization's native speakers.
 */
export const SURVEY_EMAIL_TEXTS = {
  en: {
    subject: (title: string) => `A few questions: ${title}`,
    intro: 'We are asking supporters what they see happening. Your answers are kept without your name.',
    length: (n: number) =>
      n === 1 ? 'It is one question, on one page.' : `It is ${n} short questions, on one page.`,
  },
  km: {
    subject: (title: string) => `សំណួរខ្លីៗ៖ ${title}`,
    intro: 'យើងកំពុងសួរអ្នកគាំទ្រអំពីអ្វីដែលពួកគេឃើញកំពុងកើតឡើង។ ចម្លើយរបស់អ្នកត្រូវបានរក្សាទុកដោយគ្មានឈ្មោះរបស់អ្នក។',
    length: (n: number) => (n === 1 ? 'មានសំណួរមួយ នៅលើទំព័រមួយ។' : `មានសំណួរខ្លីៗចំនួន ${n} នៅលើទំព័រមួយ។`),
  },
} as const;

// Placeholders are the organizer's to use in stage content only: braces in a title or intro stay text.
const literal = (text: string) => text.replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');

/** The round's email subject and body per language (plain text; the frame renders it). */
export function surveyEmailContent(
  title: string,
  survey: Pick<Survey, 'intro' | 'questions'>,
): Record<'en' | 'km', { subject: string; body: string }> {
  const part = (locale: 'en' | 'km') => {
    const t = SURVEY_EMAIL_TEXTS[locale];
    return {
      subject: literal(t.subject(title.replace(/[\r\n]+/g, ' ').trim())).slice(0, 200),
      body: literal(`${survey.intro?.[locale] ?? t.intro}\n\n${t.length(survey.questions.length)}`),
    };
  };
  return { en: part('en'), km: part('km') };
}
