import type { ImportResult } from '../api-client';

/** What a CSV import did: counts, then the rejected rows with the field and the reason. */
export function ImportResultView(props: { result: ImportResult }) {
  const { created, updated, rejected } = props.result;
  return (
    <div id="import-result">
      <p class="notice ok" role="status">
        Imported: <strong data-import="created">{created}</strong> created,{' '}
        <strong data-import="updated">{updated}</strong> updated,{' '}
        <strong data-import="rejected">{props.result.rejectedTotal ?? rejected.length}</strong> rejected
        {(props.result.rejectedTotal ?? 0) > rejected.length
          ? ` (the first ${rejected.length} are listed)`
          : ''}
        .
        {props.result.suppressedTotal ? (
          <>
            {' '}
            <strong data-import="suppressed">{props.result.suppressedTotal}</strong> claimed consent for a
            number or address on the suppression list and stay opted out there.
          </>
        ) : null}
      </p>
      {rejected.length > 0 ? (
        <table>
          <caption>Rejected rows</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {rejected.flatMap((r) =>
              r.errors.map((e) => (
                <tr data-rejected-row={String(r.row)}>
                  <td>{String(r.row)}</td>
                  <td>{e.path}</td>
                  <td>{e.message}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
