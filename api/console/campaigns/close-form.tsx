import type { FormValues } from '../env';
import { ErrorSummary, type FormErrors, SelectField, TextArea } from '../form';
import { Bi, CsrfField } from '../layout';
import { AUDIENCES } from './case-update-form';

/** Field paths of the close form: the API's paths under the form's name. */
export const CLOSE_FIELDS = [
  'close.resolution',
  'close.content.en.sms',
  'close.content.km.sms',
  'close.audience',
];

/** The close-the-case form: resolution, the outcome SMS in both languages and the audience. */
export function CloseForm(props: { id: string; csrf: string; values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  return (
    <form method="post" action={`/console/campaigns/${props.id}/close`} aria-labelledby="close-h">
      <h2 id="close-h">
        <Bi en="Close the case" km="បិទករណី" />
      </h2>
      <p class="hint">
        Pending stages are cancelled and this outcome message goes out; the campaign ends as closed.
      </p>
      <ErrorSummary errors={errors} />
      <CsrfField csrf={props.csrf} />
      <SelectField
        path="close.resolution"
        label="Resolution"
        value={v['close.resolution'] ?? 'released'}
        errors={errors}
        options={['released', 'acquitted', 'dropped', 'closed'].map((r) => ({ value: r, label: r }))}
      />
      <div class="cols">
        <TextArea
          path="close.content.en.sms"
          label={<Bi en="English SMS" km="សារអង់គ្លេស" />}
          lang="en"
          value={v['close.content.en.sms']}
          errors={errors}
          sms
        />
        <TextArea
          path="close.content.km.sms"
          label={<Bi en="Khmer SMS" km="សារខ្មែរ" />}
          lang="km"
          value={v['close.content.km.sms']}
          errors={errors}
          sms
        />
      </div>
      <SelectField
        path="close.audience"
        label="Send to"
        options={AUDIENCES}
        value={v['close.audience'] ?? 'all'}
        errors={errors}
      />
      <button type="submit" class="danger">
        <Bi en="Close the case" km="បិទករណី" />
      </button>
    </form>
  );
}
