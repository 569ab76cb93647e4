import type { StageTemplate } from './types';

/**
 * Urgent Action texts. `{{caseName}}`, `{{targets}}`, `{{actionUrl}}`, `{{firstName}}`, `{{caseRef}}`
 * are filled per recipient when sent; `{{appealBy}}` at launch (a line without a value is left out).
 * English stays GSM-7 (no curly quotes or dashes) so an SMS costs 160/153 characters a segment.
 */
export const CASE_ALERT_TEMPLATES: StageTemplate[] = [
  {
    id: 'case_alert/alert',
    version: 1,
    purpose: 'The alert: everyone in the audience, at launch.',
    content: {
      en: {
        sms: 'URGENT ACTION for {{caseName}}. Please write to the authorities today, it takes two minutes:\n{{actionUrl}}\nReply DONE once you have acted.',
        subject: 'Urgent Action: {{caseName}}',
        body: 'Dear {{firstName}},\n\n{{caseName}} needs your help now. Please write today to: {{targets}}.\n\nThe case, the points to raise and a letter you can edit are here:\n{{actionUrl}}\n\nPlease act before {{appealBy}}.\n\nThank you for standing with {{caseName}}.',
      },
      km: {
        sms: 'សកម្មភាពបន្ទាន់សម្រាប់ {{caseName}}។ សូមសរសេរទៅអាជ្ញាធរថ្ងៃនេះ (ពីរនាទី)៖\n{{actionUrl}}\nឆ្លើយ រួចរាល់ ពេលអ្នកធ្វើរួច។',
        subject: 'សកម្មភាពបន្ទាន់៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\n{{caseName}} ត្រូវការជំនួយពីអ្នកឥឡូវនេះ។ សូមសរសេរថ្ងៃនេះទៅកាន់៖ {{targets}}។\n\nព័ត៌មានករណី ចំណុចដែលត្រូវលើកឡើង និងសំបុត្រដែលអ្នកអាចកែបាន មាននៅទីនេះ៖\n{{actionUrl}}\n\nសូមចាត់វិធានការមុនថ្ងៃ {{appealBy}}។\n\nសូមអរគុណដែលបានឈរជាមួយ {{caseName}}។',
      },
    },
  },
  {
    id: 'case_alert/follow-up',
    version: 1,
    purpose: 'The follow-up: a reminder to those who have not acted yet.',
    content: {
      en: {
        sms: 'Reminder: {{caseName}} still needs you. Your letter to the authorities takes two minutes:\n{{actionUrl}}\nReply DONE if you have already acted.',
        subject: 'Reminder: {{caseName}} still needs your letter',
        body: 'Dear {{firstName}},\n\nA few days ago we asked you to act for {{caseName}}. We have not heard from you yet, and every letter counts.\n\nIt takes two minutes: {{actionUrl}}\n\nPlease act before {{appealBy}}.\n\nIf you have already acted, thank you, and please reply DONE.',
      },
      km: {
        sms: 'រំលឹក៖ {{caseName}} នៅតែត្រូវការអ្នក។ សំបុត្ររបស់អ្នកចំណាយពេលតែពីរនាទី៖\n{{actionUrl}}\nឆ្លើយ រួចរាល់ បើអ្នកបានធ្វើហើយ។',
        subject: 'រំលឹក៖ {{caseName}} នៅតែត្រូវការសំបុត្ររបស់អ្នក',
        body: 'ជូនចំពោះ {{firstName}}\n\nប៉ុន្មានថ្ងៃមុន យើងបានស្នើសុំឱ្យអ្នកចាត់វិធានការសម្រាប់ {{caseName}}។ យើងមិនទាន់បានទទួលដំណឹងពីអ្នកនៅឡើយ ហើយសំបុត្រនីមួយៗសុទ្ធតែសំខាន់។\n\nវាចំណាយពេលតែពីរនាទីប៉ុណ្ណោះ៖ {{actionUrl}}\n\nសូមចាត់វិធានការមុនថ្ងៃ {{appealBy}}។\n\nប្រសិនបើអ្នកបានធ្វើរួចហើយ សូមអរគុណ ហើយសូមឆ្លើយ រួចរាល់។',
      },
    },
  },
  {
    id: 'case_alert/escalation',
    version: 1,
    purpose: 'The escalation: sent when too few have acted.',
    content: {
      en: {
        sms: '{{caseName}}: too few letters have reached the authorities. Every voice counts, please act now:\n{{actionUrl}}',
        subject: 'Too few letters so far: {{caseName}} needs you now',
        body: 'Dear {{firstName}},\n\nToo few letters for {{caseName}} have reached the authorities so far. The authorities notice when many people write, and when few do.\n\nPlease write now to: {{targets}}\n{{actionUrl}}\n\nPlease act before {{appealBy}}.\n\nThank you.',
      },
      km: {
        sms: '{{caseName}}៖ សំបុត្រទៅដល់អាជ្ញាធរនៅតិចនៅឡើយ។ សំឡេងអ្នកសំខាន់ សូមចាត់វិធានការឥឡូវនេះ៖\n{{actionUrl}}',
        subject: 'សំបុត្រនៅតិចនៅឡើយ៖ {{caseName}} ត្រូវការអ្នកឥឡូវនេះ',
        body: 'ជូនចំពោះ {{firstName}}\n\nរហូតមកដល់ពេលនេះ សំបុត្រសម្រាប់ {{caseName}} ដែលទៅដល់អាជ្ញាធរ នៅមានតិចនៅឡើយ។ អាជ្ញាធរដឹងនៅពេលដែលមនុស្សច្រើនសរសេរមក ហើយក៏ដឹងដែរនៅពេលដែលមានតិច។\n\nសូមសរសេរឥឡូវនេះទៅកាន់៖ {{targets}}\n{{actionUrl}}\n\nសូមចាត់វិធានការមុនថ្ងៃ {{appealBy}}។\n\nសូមអរគុណ។',
      },
    },
  },
  {
    id: 'case_alert/further-information',
    version: 1,
    purpose: 'Further Information: news in the case, to those who received the alert.',
    content: {
      en: {
        sms: '{{caseRef}} Update on {{caseName}}: there is news in this case. Read it and act again:\n{{actionUrl}}',
        subject: '{{caseRef}} Further information: {{caseName}}',
        body: 'Dear {{firstName}},\n\nThere is news in the case of {{caseName}}.\n\n[What has happened, in two or three sentences.]\n\nPlease write again to: {{targets}}\n{{actionUrl}}\n\nThank you for staying with this case.',
      },
      km: {
        sms: '{{caseRef}} ព័ត៌មានថ្មីអំពី {{caseName}}។ សូមអាន ហើយចាត់វិធានការម្ដងទៀត៖\n{{actionUrl}}',
        subject: '{{caseRef}} ព័ត៌មានបន្ថែម៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nមានព័ត៌មានថ្មីនៅក្នុងករណីរបស់ {{caseName}}។\n\n[អ្វីដែលបានកើតឡើង ក្នុងពីរ ឬបីប្រយោគ។]\n\nសូមសរសេរម្ដងទៀតទៅកាន់៖ {{targets}}\n{{actionUrl}}\n\nសូមអរគុណដែលបានបន្តនៅជាមួយករណីនេះ។',
      },
    },
  },
  {
    id: 'case_alert/closure-released',
    version: 1,
    purpose: 'Closure, released.',
    content: {
      en: {
        sms: 'Good news: {{caseName}} has been released. Thank you, your letters made a difference. No further action is needed.',
        subject: 'Released: {{caseName}}',
        body: 'Dear {{firstName}},\n\n{{caseName}} has been released. Thank you: every letter you and others sent showed the authorities that the world was watching.\n\nNo further action is needed in this case. We will write again when someone else needs you.',
      },
      km: {
        sms: 'ដំណឹងល្អ៖ {{caseName}} ត្រូវបានដោះលែងហើយ។ សូមអរគុណ សំបុត្ររបស់អ្នកបានជួយ។ មិនចាំបាច់ធ្វើអ្វីបន្ថែមទៀតទេ។',
        subject: 'បានដោះលែង៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\n{{caseName}} ត្រូវបានដោះលែងហើយ។ សូមអរគុណ៖ សំបុត្រនីមួយៗដែលអ្នក និងអ្នកដទៃបានផ្ញើ បានបង្ហាញអាជ្ញាធរថា ពិភពលោកកំពុងតាមដាន។\n\nមិនចាំបាច់ចាត់វិធានការបន្ថែមទៀតទេក្នុងករណីនេះ។ យើងនឹងសរសេរមកអ្នកម្ដងទៀត នៅពេលមាននរណាម្នាក់ផ្សេងទៀតត្រូវការអ្នក។',
      },
    },
  },
  {
    id: 'case_alert/closure-acquitted',
    version: 1,
    purpose: 'Closure, acquitted.',
    content: {
      en: {
        sms: 'Good news: {{caseName}} has been acquitted. Thank you for every letter you sent. No further action is needed.',
        subject: 'Acquitted: {{caseName}}',
        body: 'Dear {{firstName}},\n\nThe court has acquitted {{caseName}}. Thank you for every letter you sent: they mattered.\n\nNo further action is needed in this case.',
      },
      km: {
        sms: 'ដំណឹងល្អ៖ តុលាការបានប្រកាសថា {{caseName}} គ្មានទោស។ សូមអរគុណចំពោះសំបុត្ររបស់អ្នក។ មិនចាំបាច់ធ្វើអ្វីបន្ថែមទៀតទេ។',
        subject: 'គ្មានទោស៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nតុលាការបានប្រកាសថា {{caseName}} គ្មានទោស។ សូមអរគុណចំពោះរាល់សំបុត្រដែលអ្នកបានផ្ញើ៖ វាពិតជាមានន័យណាស់។\n\nមិនចាំបាច់ចាត់វិធានការបន្ថែមទៀតទេក្នុងករណីនេះ។',
      },
    },
  },
  {
    id: 'case_alert/closure-dropped',
    version: 1,
    purpose: 'Closure, charges dropped.',
    content: {
      en: {
        sms: 'Good news: the charges against {{caseName}} have been dropped. Thank you for acting. No further action is needed.',
        subject: 'Charges dropped: {{caseName}}',
        body: 'Dear {{firstName}},\n\nThe charges against {{caseName}} have been dropped. Thank you for acting: your letters helped.\n\nNo further action is needed in this case.',
      },
      km: {
        sms: 'ដំណឹងល្អ៖ ការចោទប្រកាន់លើ {{caseName}} ត្រូវបានទម្លាក់ហើយ។ សូមអរគុណ។ មិនចាំបាច់ធ្វើអ្វីបន្ថែមទៀតទេ។',
        subject: 'បានទម្លាក់ការចោទប្រកាន់៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nការចោទប្រកាន់លើ {{caseName}} ត្រូវបានទម្លាក់ហើយ។ សូមអរគុណចំពោះការចាត់វិធានការរបស់អ្នក៖ សំបុត្ររបស់អ្នកបានជួយ។\n\nមិនចាំបាច់ចាត់វិធានការបន្ថែមទៀតទេក្នុងករណីនេះ។',
      },
    },
  },
  {
    id: 'case_alert/closure-closed',
    version: 1,
    purpose: 'Closure, without a resolution (the case is closed for another reason).',
    content: {
      en: {
        sms: 'We are closing the Urgent Action for {{caseName}}. Thank you for acting. We will tell you if action is needed again.',
        subject: 'Urgent Action closed: {{caseName}}',
        body: 'Dear {{firstName}},\n\nWe are closing the Urgent Action for {{caseName}}. Thank you for acting.\n\nWe keep following the case and will write to you if action is needed again.',
      },
      km: {
        sms: 'យើងបិទសកម្មភាពបន្ទាន់សម្រាប់ {{caseName}}។ សូមអរគុណ។ យើងនឹងប្រាប់អ្នក បើត្រូវការសកម្មភាពម្ដងទៀត។',
        subject: 'បានបិទសកម្មភាពបន្ទាន់៖ {{caseName}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nយើងកំពុងបិទសកម្មភាពបន្ទាន់សម្រាប់ {{caseName}}។ សូមអរគុណចំពោះការចាត់វិធានការរបស់អ្នក។\n\nយើងនៅតែតាមដានករណីនេះ ហើយនឹងសរសេរមកអ្នក ប្រសិនបើត្រូវការសកម្មភាពម្ដងទៀត។',
      },
    },
  },
];
