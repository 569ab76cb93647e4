import type { StageTemplate } from './types';

/**
 * Sanctions-lobbying texts. `{{targets}}` names the week's targets (the escalation: those who have
 * not responded) when sent; `{{title}}`, `{{week}}` and `{{weeks}}` are filled at launch.
 */
export const SANCTIONS_LOBBYING_TEMPLATES: StageTemplate[] = [
  {
    id: 'sanctions_lobbying/week-1',
    version: 1,
    purpose: 'The first weekly ask.',
    content: {
      en: {
        sms: '{{title}}, week 1 of {{weeks}}: please ask {{targets}} to support targeted sanctions. It takes two minutes:\n{{actionUrl}}',
        subject: '{{title}}: this week, write to {{targets}}',
        body: 'Dear {{firstName}},\n\nFor the next {{weeks}} weeks we will ask you each week to contact the people who decide on targeted sanctions. This week: {{targets}}.\n\n{{actionUrl}}\n\nThank you for taking part.',
      },
      km: {
        sms: '{{title}} សប្ដាហ៍ទី {{week}} នៃ {{weeks}}៖ សូមស្នើ {{targets}} ឱ្យគាំទ្រទណ្ឌកម្មគោលដៅ។ ចំណាយពេលតែពីរនាទី៖\n{{actionUrl}}',
        subject: '{{title}}៖ សប្ដាហ៍នេះ សូមសរសេរទៅ {{targets}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nក្នុងរយៈពេល {{weeks}} សប្ដាហ៍ខាងមុខ យើងនឹងស្នើសុំអ្នករៀងរាល់សប្ដាហ៍ ឱ្យទាក់ទងអ្នកដែលសម្រេចលើទណ្ឌកម្មគោលដៅ។ សប្ដាហ៍នេះ៖ {{targets}}។\n\n{{actionUrl}}\n\nសូមអរគុណចំពោះការចូលរួមរបស់អ្នក។',
      },
    },
  },
  {
    id: 'sanctions_lobbying/week',
    version: 1,
    purpose: 'Each later weekly ask (week 2 onwards), naming that week’s targets.',
    content: {
      en: {
        sms: '{{title}}, week {{week}} of {{weeks}}: this week please contact {{targets}}. Every message counts:\n{{actionUrl}}',
        subject: '{{title}}, week {{week}}: contact {{targets}}',
        body: 'Dear {{firstName}},\n\nWeek {{week}} of {{weeks}}. This week please contact: {{targets}}.\n\n{{actionUrl}}\n\nEvery message counts. Thank you.',
      },
      km: {
        sms: '{{title}} សប្ដាហ៍ទី {{week}} នៃ {{weeks}}៖ សប្ដាហ៍នេះ សូមទាក់ទង {{targets}}។ សារនីមួយៗសំខាន់៖\n{{actionUrl}}',
        subject: '{{title}} សប្ដាហ៍ទី {{week}}៖ សូមទាក់ទង {{targets}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nសប្ដាហ៍ទី {{week}} នៃ {{weeks}}។ សប្ដាហ៍នេះ សូមទាក់ទង៖ {{targets}}។\n\n{{actionUrl}}\n\nសារនីមួយៗសុទ្ធតែសំខាន់។ សូមអរគុណ។',
      },
    },
  },
  {
    id: 'sanctions_lobbying/escalation',
    version: 1,
    purpose: 'The escalation: targets who have not responded.',
    content: {
      en: {
        sms: '{{title}}: {{targets}} still have not answered. Please call or write to them now:\n{{actionUrl}}',
        subject: '{{title}}: no answer yet from {{targets}}',
        body: 'Dear {{firstName}},\n\nWe have still had no answer from: {{targets}}.\n\nPlease call or write to them now, and ask for a reply:\n{{actionUrl}}\n\nThank you for keeping up the pressure.',
      },
      km: {
        sms: '{{title}}៖ {{targets}} នៅតែមិនទាន់ឆ្លើយតប។ សូមទូរសព្ទ ឬសរសេរទៅពួកគេឥឡូវនេះ៖\n{{actionUrl}}',
        subject: '{{title}}៖ មិនទាន់មានចម្លើយពី {{targets}}',
        body: 'ជូនចំពោះ {{firstName}}\n\nយើងនៅតែមិនទាន់ទទួលបានចម្លើយពី៖ {{targets}}។\n\nសូមទូរសព្ទ ឬសរសេរទៅពួកគេឥឡូវនេះ ហើយស្នើសុំចម្លើយ៖\n{{actionUrl}}\n\nសូមអរគុណដែលបានបន្តដាក់សម្ពាធ។',
      },
    },
  },
];
