import type { StageTemplate } from './types';

/**
 * Election-boycott texts. `{{title}}`, `{{electionDate}}` and `{{daysLeft}}` are filled at launch
 * (dates and numbers in the supporter's language); a line with `{{actionUrl}}` is left out when the
 * campaign has no action.
 */
const countdown = (
  id: string,
  purpose: string,
  en: { sms: string; lead: string },
  km: { sms: string; lead: string },
): StageTemplate => ({
  id,
  version: 1,
  purpose,
  content: {
    en: {
      sms: `{{title}}: ${en.sms}\n{{actionUrl}}`,
      subject: `{{title}}: ${en.lead}`,
      body: `Dear {{firstName}},\n\n${en.sms}\n\n{{actionUrl}}\n\nThank you for standing with us.`,
    },
    km: {
      sms: `{{title}}៖ ${km.sms}\n{{actionUrl}}`,
      subject: `{{title}}៖ ${km.lead}`,
      body: `ជូនចំពោះ {{firstName}}\n\n${km.sms}\n\n{{actionUrl}}\n\nសូមអរគុណដែលបានឈរជាមួយយើង។`,
    },
  },
});

export const ELECTION_BOYCOTT_TEMPLATES: StageTemplate[] = [
  countdown(
    'election_boycott/t-30d',
    'Thirty days before the election.',
    {
      sms: 'the election is in {{daysLeft}} days ({{electionDate}}). Find out why we boycott it and share it with family and friends:',
      lead: '{{daysLeft}} days to the election',
    },
    {
      sms: 'ការបោះឆ្នោតនៅសល់ {{daysLeft}} ថ្ងៃទៀត ({{electionDate}})។ ស្វែងយល់ពីមូលហេតុដែលយើងធ្វើពហិការ ហើយចែករំលែកទៅគ្រួសារ និងមិត្តភក្តិ៖',
      lead: 'នៅសល់ {{daysLeft}} ថ្ងៃដល់ការបោះឆ្នោត',
    },
  ),
  countdown(
    'election_boycott/t-14d',
    'Two weeks before the election.',
    {
      sms: 'two weeks until the election on {{electionDate}}. This week, please talk to one person you know about the boycott:',
      lead: 'two weeks to the election',
    },
    {
      sms: 'នៅសល់ពីរសប្ដាហ៍ដល់ការបោះឆ្នោតថ្ងៃ {{electionDate}}។ សប្ដាហ៍នេះ សូមនិយាយជាមួយមនុស្សម្នាក់ដែលអ្នកស្គាល់អំពីពហិការ៖',
      lead: 'នៅសល់ពីរសប្ដាហ៍ដល់ការបោះឆ្នោត',
    },
  ),
  countdown(
    'election_boycott/t-7d',
    'One week before the election.',
    {
      sms: 'one week until the election on {{electionDate}}. Please share the boycott message with your family today:',
      lead: 'one week to the election',
    },
    {
      sms: 'នៅសល់មួយសប្ដាហ៍ដល់ការបោះឆ្នោតថ្ងៃ {{electionDate}}។ សូមចែករំលែកសារពហិការទៅគ្រួសាររបស់អ្នកថ្ងៃនេះ៖',
      lead: 'នៅសល់មួយសប្ដាហ៍ដល់ការបោះឆ្នោត',
    },
  ),
  countdown(
    'election_boycott/t-1d',
    'The day before the election.',
    {
      sms: 'the election is tomorrow, {{electionDate}}. Stand with us and stay home. What to do and how to stay safe:',
      lead: 'the election is tomorrow',
    },
    {
      sms: 'ការបោះឆ្នោតគឺនៅថ្ងៃស្អែក {{electionDate}}។ សូមឈរជាមួយយើង ហើយនៅផ្ទះ។ អ្វីដែលត្រូវធ្វើ និងរបៀបរក្សាសុវត្ថិភាព៖',
      lead: 'ការបោះឆ្នោតគឺនៅថ្ងៃស្អែក',
    },
  ),
  countdown(
    'election_boycott/countdown',
    'Any other reminder before the election (a countdown the organizer chose).',
    {
      sms: '{{daysLeft}} days until the election on {{electionDate}}. Please share the boycott message:',
      lead: '{{daysLeft}} days to the election',
    },
    {
      sms: 'នៅសល់ {{daysLeft}} ថ្ងៃដល់ការបោះឆ្នោតថ្ងៃ {{electionDate}}។ សូមចែករំលែកសារពហិការ៖',
      lead: 'នៅសល់ {{daysLeft}} ថ្ងៃដល់ការបោះឆ្នោត',
    },
  ),
  countdown(
    'election_boycott/polling-day',
    'Polling day.',
    {
      sms: 'today is election day. Stay safe, and tell us what you see:',
      lead: 'today is election day',
    },
    {
      sms: 'ថ្ងៃនេះជាថ្ងៃបោះឆ្នោត។ សូមរក្សាសុវត្ថិភាព ហើយប្រាប់យើងពីអ្វីដែលអ្នកបានឃើញ៖',
      lead: 'ថ្ងៃនេះជាថ្ងៃបោះឆ្នោត',
    },
  ),
  countdown(
    'election_boycott/report',
    'The report after the election; the campaign ends with it.',
    {
      sms: 'thank you for standing with us. Read our report on the election of {{electionDate}}:',
      lead: 'our report on the election',
    },
    {
      sms: 'សូមអរគុណដែលបានឈរជាមួយយើង។ សូមអានរបាយការណ៍របស់យើងអំពីការបោះឆ្នោតថ្ងៃ {{electionDate}}៖',
      lead: 'របាយការណ៍របស់យើងអំពីការបោះឆ្នោត',
    },
  ),
];
