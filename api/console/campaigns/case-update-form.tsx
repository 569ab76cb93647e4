import type { FormValues } from '../env';
import { ErrorSummary, type FormErrors, SelectField, TextArea } from '../form';
import { Bi, CsrfField } from '../layout';

/** Field paths of the case-update form: the API's paths under the form's name. */
export const UPDATE_FIELDS = [
  'update.content.en.sms',
  'update.content.km.sms',
  'update.content.en.body',
  'update.content.km.body',
  'update.audience',
];

/** Whom a case update or closing message goes to (the API's `audience`). */
export const AUDIENCES = [
  { value: 'recipients', label: 'Everyone who received this campaign' },
  { value: 'acted', label: 'Only those who acted' },
  { value: 'all', label: 'Everyone in the campaign audience (its tags), reached yet or not' },
];

/** The case-update form: English and Khmer SMS (and optional email body) and the audience. */
export function CaseUpdateForm(props: { id: string; csrf: string; values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  return (
    <form method="post" action={`/console/campaigns/${props.id}/case-update`} aria-labelledby="update-h">
      <h2 id="update-h">
        <Bi en="Send a case update" km="ព័ត៌មានថ្មីអំពីករណី" />
      </h2>
      <ErrorSummary errors={errors} />
      <CsrfField csrf={props.csrf} />
      <div class="cols">
        <div>
          <TextArea
            path="update.content.en.sms"
            label={<Bi en="English SMS" km="សារអង់គ្លេស" />}
            lang="en"
            value={v['update.content.en.sms']}
            errors={errors}
            sms
          />
          <TextArea
            path="update.content.en.body"
            label="English email body (optional)"
            lang="en"
            value={v['update.content.en.body']}
            errors={errors}
          />
        </div>
        <div>
          <TextArea
            path="update.content.km.sms"
            label={<Bi en="Khmer SMS" km="សារខ្មែរ" />}
            lang="km"
            value={v['update.content.km.sms']}
            errors={errors}
            sms
          />
          <TextArea
            path="update.content.km.body"
            label="Khmer email body (optional)"
            lang="km"
            value={v['update.content.km.body']}
            errors={errors}
          />
        </div>
      </div>
      <SelectField
        path="update.audience"
        label="Send to"
        options={AUDIENCES}
        value={v['update.audience'] ?? 'recipients'}
        errors={errors}
      />
      <button type="submit" class="primary">
        <Bi en="Send case update" km="ផ្ញើ" />
      </button>
    </form>
  );
}
