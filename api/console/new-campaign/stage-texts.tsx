import type { FormValues } from '../env';
import { type FormErrors, TextArea, TextField } from '../form';
import { Bi } from '../layout';

/** One stage's texts in both languages, side by side: SMS (with its segment counter), email subject and body. */
export function StageTexts(props: { i: number; values: FormValues; errors: FormErrors }) {
  const { i, values: v, errors } = props;
  const locale = (l: 'en' | 'km', name: string, km: string) => {
    const path = (p: string) => `stages.${i}.content.${l}.${p}`;
    return (
      <div lang={l === 'km' ? 'km' : undefined}>
        <h4>
          <Bi en={name} km={km} />
        </h4>
        <TextArea path={path('sms')} label="SMS" lang={l} value={v[path('sms')]} errors={errors} sms />
        <TextField
          path={path('subject')}
          label="Email subject"
          lang={l}
          value={v[path('subject')]}
          errors={errors}
        />
        <TextArea
          path={path('body')}
          label="Email body"
          lang={l}
          rows={4}
          value={v[path('body')]}
          errors={errors}
        />
      </div>
    );
  };
  const contentErrors = errors.byField.get(`stages.${i}.content`) ?? [];
  return (
    <>
      {contentErrors.map((m) => (
        <p class="error" data-error-for={`stages.${i}.content`}>
          {m}
        </p>
      ))}
      <div class="cols">
        {locale('en', 'English', 'អង់គ្លេស')}
        {locale('km', 'Khmer', 'ភាសាខ្មែរ')}
      </div>
    </>
  );
}

export const CHANNEL_OPTIONS = [
  { value: 'sms_then_email', label: 'SMS, email where no SMS' },
  { value: 'sms', label: 'SMS only' },
  { value: 'email', label: 'Email only' },
  { value: 'both', label: 'SMS and email' },
];

export const AUDIENCE_LABELS: Record<string, string> = {
  all: 'everyone in the audience',
  not_acted: 'those who have not acted',
  acted: 'those who acted',
};

export const PLACEHOLDER_HINT =
  'Placeholders: {{firstName}} {{actionUrl}} {{caseName}} {{caseNumber}} {{targets}} {{uaNumber}} {{caseRef}} {{unsubscribeUrl}}';
