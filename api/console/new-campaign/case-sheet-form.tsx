import type { Preview } from '../api-client';
import type { FormValues } from '../env';
import { type FormErrors, fieldId, TextArea, TextField } from '../form';
import { Bi } from '../layout';

/** Rows of the targets table on the new case_alert form. */
export const TARGET_ROWS = 5;
const TARGET_COLUMNS = ['key', 'name', 'title', 'salutation', 'email', 'language', 'address'] as const;

/** Field paths of the case sheet part of the form (the API's own paths, so errors land beside them). */
export const CASE_SHEET_FIELDS = [
  'case.uaNumber',
  'case.persons',
  'case.concern.en',
  'case.concern.km',
  'case.background.en',
  'case.background.km',
  'case.recommendedActions.en',
  'case.recommendedActions.km',
  'case.appealBy',
  'case.copies',
  ...Array.from({ length: TARGET_ROWS }, (_, i) =>
    TARGET_COLUMNS.map((c) => `action.targets.${i}.${c}`),
  ).flat(),
];

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
const lines = (v: string | undefined) =>
  (v ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

function compact<T extends Record<string, unknown>>(o: T): Partial<T> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Partial<T>);
}

const bilingual = (v: FormValues, path: string) =>
  compact({ en: text(v[`${path}.en`]), km: text(v[`${path}.km`]) });

/** The `case` object the form describes, or undefined when no case field is filled. */
export function caseSheetBody(v: FormValues): Record<string, unknown> | undefined {
  const persons = lines(v['case.persons']).map((name) => ({ name }));
  const actions = compact({
    en: lines(v['case.recommendedActions.en']).length ? lines(v['case.recommendedActions.en']) : undefined,
    km: lines(v['case.recommendedActions.km']).length ? lines(v['case.recommendedActions.km']) : undefined,
  });
  const copies = lines(v['case.copies']).map((line) => {
    const [name, email, address] = line.split('|').map((s) => s.trim());
    return compact({ name: name ?? '', email: text(email), address: text(address) });
  });
  const body = compact({
    uaNumber: text(v['case.uaNumber']),
    persons: persons.length ? persons : undefined,
    concern: bilingual(v, 'case.concern'),
    background: bilingual(v, 'case.background'),
    recommendedActions: actions,
    appealBy: text(v['case.appealBy']),
    copies: copies.length ? copies : undefined,
  });
  return body;
}

/** The targets table's rows (a row without a name is left out), or undefined when empty. */
export function targetsFromTable(v: FormValues): Array<Record<string, unknown>> | undefined {
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < TARGET_ROWS; i++) {
    const cell = (c: string) => text(v[`action.targets.${i}.${c}`]);
    if (!TARGET_COLUMNS.some((c) => c !== 'language' && cell(c))) continue;
    rows.push(
      compact({
        key: cell('key'),
        name: cell('name') ?? '',
        title: cell('title'),
        salutation: cell('salutation'),
        email: cell('email'),
        language: cell('language'),
        address: cell('address'),
      }) ?? {},
    );
  }
  return rows.length ? rows : undefined;
}

/** The case sheet: bilingual fields side by side, then the authorities to write to as a table. */
export function CaseSheetFields(props: { values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  const pair = (path: string, en: string, km: string, hint?: string) => (
    <div class="cols">
      <TextArea
        path={`${path}.en`}
        label={`${en} (English)`}
        lang="en"
        value={v[`${path}.en`]}
        errors={errors}
        hint={hint}
      />
      <TextArea
        path={`${path}.km`}
        label={<Bi en={`${en} (Khmer)`} km={km} />}
        lang="km"
        value={v[`${path}.km`]}
        errors={errors}
        hint={hint}
      />
    </div>
  );
  const cellError = (path: string) => errors.byField.get(path)?.join('; ');
  return (
    <fieldset data-case-sheet>
      <legend>
        <Bi en="Case sheet" km="សន្លឹកករណី" />
      </legend>
      <p class="hint">
        With a case sheet the service hosts the action page: the case, what to ask, and a letter per target
        that supporters edit and send through the network (or their own mail). Placeholders {'{{uaNumber}}'}{' '}
        and {'{{caseRef}}'} (UA 12/23 FI 2 in Further Information 2).
      </p>
      <TextField
        path="case.uaNumber"
        label={<Bi en="UA number" km="លេខ UA" />}
        hint="e.g. UA 12/23"
        value={v['case.uaNumber']}
        errors={errors}
      />
      <TextArea
        path="case.persons"
        label="Person(s) concerned"
        hint="One name per line."
        value={v['case.persons']}
        errors={errors}
        rows={2}
      />
      {pair('case.concern', 'The concern', 'កង្វល់')}
      {pair('case.background', 'Background', 'ប្រវត្តិ')}
      {pair(
        'case.recommendedActions',
        'Recommended actions',
        'សកម្មភាពដែលបានណែនាំ',
        'One point to raise per line.',
      )}
      <TextField
        path="case.appealBy"
        label="Appeal by (date)"
        hint="After it, pending follow-ups are skipped."
        value={v['case.appealBy']}
        errors={errors}
      />
      <TextArea
        path="case.copies"
        label="Copies to"
        hint="One per line: Name | email | address"
        value={v['case.copies']}
        errors={errors}
        rows={2}
      />
      <table class="targets-table">
        <caption>Authorities to write to (letters go to those with an email)</caption>
        <thead>
          <tr>
            {TARGET_COLUMNS.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: TARGET_ROWS }, (_, i) => (
            <tr>
              {TARGET_COLUMNS.map((c) => {
                const path = `action.targets.${i}.${c}`;
                const err = cellError(path);
                return (
                  <td>
                    {c === 'language' ? (
                      <select id={fieldId(path)} name={path} aria-label={`Target ${i + 1} ${c}`}>
                        {['', 'en', 'km'].map((l) => (
                          <option value={l} selected={(v[path] ?? '') === l}>
                            {l === '' ? 'en (default)' : l}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        type={c === 'email' ? 'email' : 'text'}
                        id={fieldId(path)}
                        name={path}
                        value={v[path] ?? ''}
                        aria-label={`Target ${i + 1} ${c}`}
                        aria-invalid={err ? 'true' : undefined}
                        lang={c === 'salutation' || c === 'address' ? undefined : undefined}
                      />
                    )}
                    {err ? <p class="error">{err}</p> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

/** The case part of the preview: each target's letter draft as supporters will see it. */
export function CasePreview(props: { preview: Preview }) {
  const c = props.preview.case;
  if (!c) return null;
  return (
    <section data-case-preview>
      <h3>
        {c.uaNumber} · {c.persons.join(', ')}
      </h3>
      {c.targets.map((t) => (
        <details>
          <summary>
            Letter to {t.name} ({t.language}): {t.subject}
          </summary>
          <pre lang={t.language}>{t.letter}</pre>
        </details>
      ))}
    </section>
  );
}
