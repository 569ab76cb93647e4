import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Supporter, SupporterPage } from '../api-client';
import type { FormErrors } from '../form';
import { langOf } from '../format';
import { Bi } from '../layout';

export interface SearchState {
  q: string;
  tag: string;
  /** Undefined when nothing was searched (no q, no tag) or the search was refused. */
  page?: SupporterPage;
  /** The link to the following page of the same search. */
  next?: string;
  /** Whether this is a later page (reached through a cursor). */
  later?: boolean;
  errors: FormErrors;
  /** HTTP status of a refused search (400 for the console's own check, else the API's). */
  status?: ContentfulStatusCode;
}

function consentText(s: Supporter): string {
  const channel = (name: string, consent: boolean, optedOut: string | null) =>
    optedOut ? `${name} opted out` : consent ? name : undefined;
  const parts = [
    channel('SMS', s.consent.sms, s.optedOut.sms),
    channel('email', s.consent.email, s.optedOut.email),
  ];
  return parts.filter(Boolean).join(', ') || 'none';
}

/** One page of search results as a table, with the link to the next page. */
export function SearchResults(props: { search: SearchState }) {
  const { page: result, q, tag } = props.search;
  if (!result) return null;
  const what = [q ? `“${q}”` : '', tag ? `tag ${tag}` : ''].filter(Boolean).join(' and ');
  if (result.items.length === 0)
    return (
      <p id="search-results" role="status" data-results="0">
        {props.search.later ? 'No more supporters match ' : 'No supporters match '}
        <span lang={langOf(q)}>{what}</span>.
      </p>
    );
  return (
    <div id="search-results" data-results={String(result.items.length)}>
      <p role="status" class="hint">
        {result.items.length} supporter{result.items.length === 1 ? '' : 's'}
        {props.search.later ? ' on this page' : ''} matching <span lang={langOf(q)}>{what}</span>
        {result.nextCursor ? ', more on the next page' : ''}, newest first.
      </p>
      <table>
        <caption class="visually-hidden">Supporters matching {what}</caption>
        <thead>
          <tr>
            <th scope="col">
              <Bi en="Name" km="ឈ្មោះ" />
            </th>
            <th scope="col">
              <Bi en="Phone" km="ទូរស័ព្ទ" />
            </th>
            <th scope="col">Email</th>
            <th scope="col">
              <Bi en="Language" km="ភាសា" />
            </th>
            <th scope="col">Tags</th>
            <th scope="col">Consent</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((s) => (
            <tr data-result={s.id}>
              <th scope="row" lang={langOf(s.name)}>
                <a href={`/console/supporters?id=${encodeURIComponent(s.id)}`}>
                  {s.name ?? 'Unnamed supporter'}
                </a>
              </th>
              <td data-col="phone">{s.phone ?? '—'}</td>
              <td data-col="email">{s.email ?? '—'}</td>
              <td data-col="locale">
                {s.locale === 'km' ? (
                  <>
                    Khmer{' '}
                    <span class="km" lang="km">
                      ខ្មែរ
                    </span>
                  </>
                ) : s.locale === 'en' ? (
                  'English'
                ) : (
                  s.locale
                )}
              </td>
              <td data-col="tags" lang={langOf(s.tags.join(' '))}>
                {s.tags.join(', ') || '—'}
              </td>
              <td data-col="consent">{consentText(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.search.next ? (
        <p>
          <a href={props.search.next} rel="next">
            Next page
          </a>
        </p>
      ) : null}
    </div>
  );
}
