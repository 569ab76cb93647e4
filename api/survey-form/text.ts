/** The survey form page's words. Khmer wording to be reviewed by the organization's native speakers. */
export const FORM_TEXT = {
  en: {
    lang: 'English',
    intro: 'We are asking supporters what they see happening. Your answers are kept without your name.',
    round: (n: number) => `Round ${n}`,
    required:
      'Answer every question that applies to you. Questions the notes tell you to skip need no answer.',
    yes: 'Yes',
    no: 'No',
    between: (min?: number, max?: number) =>
      min !== undefined && max !== undefined
        ? `A number from ${min} to ${max}.`
        : min !== undefined
          ? `A number of at least ${min}.`
          : max !== undefined
            ? `A number of at most ${max}.`
            : 'A number.',
    textHint: 'In your own words. A person reviews reports before they are published.',
    skipTo: (answer: string, to: string) => `If you answer “${answer}”, skip to question ${to}.`,
    endIf: (answer: string) => `If you answer “${answer}”, you are done: send your answers.`,
    range: (min?: number, max?: number) =>
      min !== undefined && max !== undefined
        ? `from ${min} to ${max}`
        : min !== undefined
          ? `${min} or more`
          : `${max} or less`,
    submit: 'Send my answers',
    fix: 'Please check the answers marked below.',
    thanks: 'Thank you. Your answers were received.',
    already: 'You have already answered this round of the survey. Thank you.',
    bySms: 'You have started answering this round by SMS: please continue there.',
    closed: 'This survey is closed: it takes no more answers.',
    invalid: 'This link is not valid or has expired.',
    unsubscribe: 'Unsubscribe from these emails',
    question: (n: number) => `Question ${n}`,
  },
  km: {
    lang: 'ខ្មែរ',
    intro: 'យើងកំពុងសួរអ្នកគាំទ្រអំពីអ្វីដែលពួកគេឃើញកំពុងកើតឡើង។ ចម្លើយរបស់អ្នកត្រូវបានរក្សាទុកដោយគ្មានឈ្មោះរបស់អ្នក។',
    round: (n: number) => `ជុំទី ${n}`,
    required: 'សូមឆ្លើយគ្រប់សំណួរដែលទាក់ទងនឹងអ្នក។ សំណួរដែលកំណត់ចំណាំប្រាប់ឱ្យរំលង មិនចាំបាច់ឆ្លើយទេ។',
    yes: 'បាទ/ចាស',
    no: 'ទេ',
    between: (min?: number, max?: number) =>
      min !== undefined && max !== undefined
        ? `លេខពី ${min} ដល់ ${max}។`
        : min !== undefined
          ? `លេខយ៉ាងហោចណាស់ ${min}។`
          : max !== undefined
            ? `លេខមិនលើសពី ${max}។`
            : 'លេខមួយ។',
    textHint: 'តាមពាក្យរបស់អ្នកផ្ទាល់។ មនុស្សម្នាក់ពិនិត្យរបាយការណ៍មុនពេលផ្សព្វផ្សាយ។',
    skipTo: (answer: string, to: string) => `ប្រសិនបើអ្នកឆ្លើយ «${answer}» សូមរំលងទៅសំណួរទី ${to}។`,
    endIf: (answer: string) => `ប្រសិនបើអ្នកឆ្លើយ «${answer}» អ្នកបានបញ្ចប់ហើយ៖ សូមផ្ញើចម្លើយរបស់អ្នក។`,
    range: (min?: number, max?: number) =>
      min !== undefined && max !== undefined
        ? `ពី ${min} ដល់ ${max}`
        : min !== undefined
          ? `${min} ឬច្រើនជាង`
          : `${max} ឬតិចជាង`,
    submit: 'ផ្ញើចម្លើយរបស់ខ្ញុំ',
    fix: 'សូមពិនិត្យចម្លើយដែលបានសម្គាល់ខាងក្រោម។',
    thanks: 'សូមអរគុណ។ យើងបានទទួលចម្លើយរបស់អ្នកហើយ។',
    already: 'អ្នកបានឆ្លើយជុំនេះនៃការស្ទង់មតិរួចហើយ។ សូមអរគុណ។',
    bySms: 'អ្នកបានចាប់ផ្តើមឆ្លើយជុំនេះតាម SMS៖ សូមបន្តនៅទីនោះ។',
    closed: 'ការស្ទង់មតិនេះបានបិទហើយ៖ លែងទទួលចម្លើយទៀតហើយ។',
    invalid: 'តំណនេះមិនត្រឹមត្រូវ ឬផុតកំណត់ហើយ។',
    unsubscribe: 'ឈប់ទទួលអ៊ីមែលទាំងនេះ',
    question: (n: number) => `សំណួរទី ${n}`,
  },
} as const;

export type FormLocale = keyof typeof FORM_TEXT;
