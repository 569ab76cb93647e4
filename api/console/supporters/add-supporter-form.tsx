import type { FormValues } from '../env';
import { Checkbox, ErrorSummary, type FormErrors, SelectField, TextField } from '../form';
import { Bi, CsrfField } from '../layout';
import { MayChange } from '../role-context';

/** Field paths of the form: the API's paths, so its problem errors land beside the right field. */
export const ADD_FIELDS = [
  'name',
  'phone',
  'email',
  'locale',
  'timezone',
  'tags',
  'consent.sms',
  'consent.email',
];

/** The add-or-update form (posted to /console/supporters), refilled with what was typed on an error. */
export function AddSupporterForm(props: { csrf: string; values: FormValues; errors: FormErrors }) {
  const { values, errors } = props;
  return (
    <section aria-labelledby="add-h">
      <h2 id="add-h">
        <Bi en="Add or update a supporter" km="បន្ថែមអ្នកគាំទ្រ" />
      </h2>
      <ErrorSummary errors={errors} />
      <MayChange>
        <form method="post" action="/console/supporters" novalidate>
          <CsrfField csrf={props.csrf} />
          <div class="cols">
            <div>
              <TextField path="name" label={<Bi en="Name" km="ឈ្មោះ" />} value={values.name} errors={errors} />
              <TextField
                path="phone"
                label={<Bi en="Phone" km="ទូរស័ព្ទ" />}
                hint="With country code, e.g. +1 978 555 0100."
                value={values.phone}
                errors={errors}
              />
              <TextField path="email" label="Email" value={values.email} errors={errors} />
            </div>
            <div>
              <SelectField
                path="locale"
                label={<Bi en="Language" km="ភាសា" />}
                value={values.locale}
                errors={errors}
                options={[
                  { value: 'en', label: 'English' },
                  { value: 'km', label: 'Khmer · ខ្មែរ' },
                ]}
              />
              <TextField
                path="timezone"
                label="Time zone"
                hint="IANA name, e.g. America/New_York."
                value={values.timezone}
                errors={errors}
              />
              <TextField
                path="tags"
                label="Tags"
                hint="Comma-separated."
                value={values.tags}
                errors={errors}
              />
              <Checkbox
                path="consent.sms"
                label="Agreed to SMS"
                checked={values['consent.sms'] === 'on'}
                errors={errors}
              />
              <Checkbox
                path="consent.email"
                label="Agreed to email"
                checked={values['consent.email'] === 'on'}
                errors={errors}
              />
            </div>
          </div>
          <button type="submit" class="primary">
            Save supporter
          </button>
        </form>
      </MayChange>
    </section>
  );
}
