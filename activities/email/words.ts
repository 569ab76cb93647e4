/**
 * The words of the email frame, in the recipient's language. Khmer wording to be reviewed by the
 * organization's native speakers.
 */
export const EMAIL_WORDS = {
  en: {
    button: 'Take action',
    surveyButton: 'Answer the survey',
    linkHint: 'If the button does not work, open this link:',
    why: (org: string) => `You receive this email because you signed up for action alerts from ${org}.`,
    contact: 'Questions? Reach us at',
    replyHint: 'Questions? Reply to this email.',
    unsubscribe: 'Unsubscribe from these emails',
    caseNumber: 'Case',
    persons: 'At risk',
    concern: 'Concern',
  },
  km: {
    button: 'ចូលរួមសកម្មភាព',
    surveyButton: 'ឆ្លើយការស្ទង់មតិ',
    linkHint: 'ប្រសិនបើប៊ូតុងមិនដំណើរការ សូមបើកតំណនេះ៖',
    why: (org: string) => `អ្នកទទួលបានអ៊ីមែលនេះ ដោយសារអ្នកបានចុះឈ្មោះទទួលការជូនដំណឹងអំពីសកម្មភាពពី ${org}។`,
    contact: 'មានសំណួរ? ទាក់ទងយើងតាម',
    replyHint: 'មានសំណួរ? សូមឆ្លើយតបអ៊ីមែលនេះ។',
    unsubscribe: 'ឈប់ទទួលអ៊ីមែលទាំងនេះ',
    caseNumber: 'ករណី',
    persons: 'អ្នកប្រឈមគ្រោះថ្នាក់',
    concern: 'កង្វល់',
  },
} as const;

/**
 * System fonts that carry Khmer on each platform (Android, Apple, Windows, Linux), after the Latin
 * ones: no web font is loaded, so no third party learns who opened the email.
 */
export const FONT_STACK = {
  en: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, 'Noto Sans Khmer', 'Khmer Sangam MN', 'Khmer UI', 'Leelawadee UI', 'Khmer OS System', 'Khmer OS', sans-serif",
  km: "'Noto Sans Khmer', 'Khmer Sangam MN', 'Khmer UI', 'Leelawadee UI', 'Khmer OS System', 'Khmer OS', -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
} as const;

// Khmer stacks vowels and subscripts above and below the line: it needs more room than Latin.
export const LINE_HEIGHT = { en: '1.6', km: '1.9' } as const;
