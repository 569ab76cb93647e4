import type { ImportResult } from '../api-client';
import { ErrorSummary, type FormErrors, noErrors } from '../form';
import { Bi, CsrfField } from '../layout';
import { MayChange } from '../role-context';
import { ImportResultView } from './import-result';

const CSV_HEADER = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';

/** What the last import did: its result, its errors, or that the server has no CSV import. */
export interface ImportState {
  result?: ImportResult;
  errors: FormErrors;
  unavailable?: boolean;
}

/** The CSV upload form (posted to /console/supporters/import) with the last import's outcome. */
export function ImportSection(props: { csrf: string; imported?: ImportState }) {
  const importErrors = props.imported?.errors ?? noErrors();
  return (
    <section aria-labelledby="import-h">
      <h2 id="import-h">
        <Bi en="Import a CSV file" km="នាំចូល" />
      </h2>
      <p class="hint">
        Header row: <code>{CSV_HEADER}</code>; tags separated by <code>;</code>. Up to 20 MB here; larger
        files go straight to POST /v1/supporters/import.
      </p>
      <ErrorSummary errors={importErrors} />
      {props.imported?.unavailable ? (
        <p class="notice" role="status">
          CSV import is not available on this server yet.
        </p>
      ) : null}
      {props.imported?.result ? <ImportResultView result={props.imported.result} /> : null}
      <MayChange>
        <form method="post" action="/console/supporters/import" enctype="multipart/form-data">
          <CsrfField csrf={props.csrf} />
          <div class="field">
            <label for="f-file">CSV file</label>
            {(importErrors.byField.get('file') ?? []).map((m) => (
              <p class="error" data-error-for="file">
                {m}
              </p>
            ))}
            <input type="file" id="f-file" name="file" accept=".csv,text/csv" required />
          </div>
          <button type="submit">
            <Bi en="Import" km="នាំចូល" />
          </button>
        </form>
      </MayChange>
    </section>
  );
}
