import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ImportResult, Problem, Supporter, SupporterMessages, SupporterPage } from './api-client';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import { formValues } from './env';
import {
  Checkbox,
  ErrorSummary,
  type FormErrors,
  noErrors,
  placeErrors,
  SelectField,
  TextField,
} from './form';
import { utc } from './format';
import { Bi, CsrfField } from './layout';
import { page } from './render';
import { MayChange } from './role-context';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const ADD_FIELDS = ['name', 'phone', 'email', 'locale', 'timezone', 'tags', 'consent.sms', 'consent.email'];
const CSV_HEADER = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';
const SEARCH_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Text with Khmer letters gets lang="km": the Khmer font stack and taller lines (styles.ts). */
const KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;
const langOf = (text: string | null | undefined) => (text && KHMER.test(text) ? 'km' : undefined);

interface SearchState {
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

interface SupportersState {
  search?: SearchState;
  lookup?: { id: string; supporter?: Supporter; messages?: SupporterMessages['items']; errors: FormErrors };
  add?: { values: FormValues; errors: FormErrors };
  imported?: { result?: ImportResult; errors: FormErrors; unavailable?: boolean };
  notice?: string;
  status?: ContentfulStatusCode;
}

const AUTO_REPLY_LABELS: Record<string, string> = {
  help: 'HELP answer',
  opt_out_confirmation: 'opt-out confirmation',
  opt_in_confirmation: 'opt-in confirmation',
  done_thank_you: 'thank-you for DONE',
};

/** One line of the history: what went out or came in, never its text. */
function historyLine(m: SupporterMessages['items'][number]): string {
  if (m.type === 'reply') return `reply understood as ${m.status.replace('_', ' ')}`;
  if (m.type === 'auto_reply') return `automatic ${AUTO_REPLY_LABELS[m.status] ?? m.status}`;
  return `${m.stageKey ?? 'campaign'} message, ${m.status}`;
}

function MessageHistory(props: { messages: SupporterMessages['items'] }) {
  if (props.messages.length === 0) return <p class="muted">No message to or from this supporter yet.</p>;
  return (
    <ol class="history" aria-label="Messages, newest first">
      {props.messages.map((m) => (
        <li data-history={m.type}>
          <time datetime={m.at}>{utc(m.at)}</time> {m.direction === 'in' ? '←' : '→'}{' '}
          {m.channel.toUpperCase()}: {historyLine(m)}
          {m.segments ? ` (${m.segments} segment${m.segments === 1 ? '' : 's'})` : ''}
        </li>
      ))}
    </ol>
  );
}

function SupporterCard(props: { s: Supporter; messages: SupporterMessages['items']; csrf: string }) {
  const { s } = props;
  const row = (label: string, value: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
  return (
    <section aria-labelledby="supporter-h" data-supporter={s.id}>
      <h2 id="supporter-h" lang={langOf(s.name)}>
        {s.name ?? 'Unnamed supporter'}
      </h2>
      <table>
        <tbody>
          {row('Id', s.id)}
          {row('Phone', s.phone ?? '—')}
          {row('Email', s.email ?? '—')}
          {row('Language', s.locale === 'km' ? 'Khmer' : 'English')}
          {row('Time zone', s.timezone)}
          {row('Tags', s.tags.join(', ') || '—')}
          {row('Consent', `SMS ${s.consent.sms ? 'yes' : 'no'}, email ${s.consent.email ? 'yes' : 'no'}`)}
          {row('Opted out', `SMS ${utc(s.optedOut.sms)}, email ${utc(s.optedOut.email)}`)}
          {row('Suppression list', suppressionText(s))}
          {row('Erased', s.erased ? 'yes' : 'no')}
        </tbody>
      </table>
      <h3>Messages</h3>
      <MessageHistory messages={props.messages} />
      {s.erased ? null : (
        <MayChange>
          <form method="post" action={`/console/supporters/${s.id}/erase`} class="controls">
            <CsrfField csrf={props.csrf} />
            <button type="submit" class="danger">
              <Bi en="Erase this supporter" km="លុប" />
            </button>
            <span class="hint">
              Removes phone, email and name everywhere they are stored. This cannot be undone.
            </span>
          </form>
        </MayChange>
      )}
    </section>
  );
}

function ImportResultView(props: { result: ImportResult }) {
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

/** Why a channel stays opted out whatever consent says: the source of its suppression-list entry. */
function suppressionText(s: Supporter): string {
  const entry = (name: string, e: { source: string } | null | undefined) =>
    e ? `${name}: ${e.source.replace(/_/g, ' ')}` : undefined;
  const parts = [entry('SMS', s.suppressed?.sms), entry('email', s.suppressed?.email)];
  return parts.filter(Boolean).join(', ') || '—';
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

function SearchResults(props: { search: SearchState }) {
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

function supportersPage(c: ConsoleContext, state: SupportersState) {
  const csrf = c.get('session').csrf;
  const lookupErrors = state.lookup?.errors ?? noErrors();
  const search = state.search;
  const searchErrors = search?.errors ?? noErrors();
  const add = state.add ?? { values: { locale: 'en', timezone: 'UTC' }, errors: noErrors() };
  const importErrors = state.imported?.errors ?? noErrors();
  return page(
    c,
    { title: 'Supporters', section: 'supporters', status: state.status },
    <>
      <h1>
        <Bi en="Supporters" km="អ្នកគាំទ្រ" />
      </h1>
      {state.notice ? (
        <p class="notice ok" role="status">
          {state.notice}
        </p>
      ) : null}
      {state.lookup?.supporter ? (
        <SupporterCard s={state.lookup.supporter} messages={state.lookup.messages ?? []} csrf={csrf} />
      ) : null}
      <section aria-labelledby="search-h">
        <h2 id="search-h">
          <Bi en="Find supporters" km="ស្វែងរក" />
        </h2>
        <ErrorSummary errors={searchErrors} />
        <search aria-label="Find supporters">
          <form method="get" action="/console/supporters">
            <div class="cols">
              <TextField
                path="q"
                type="search"
                label={<Bi en="Name, email or phone" km="ឈ្មោះ អ៊ីមែល ឬទូរស័ព្ទ" />}
                hint="Any part of a name or email, or at least 4 digits of a phone number. A supporter id opens that supporter."
                value={search?.q}
                errors={searchErrors}
              />
              <TextField
                path="tag"
                label="Tag (optional)"
                hint="The exact tag."
                value={search?.tag}
                errors={searchErrors}
              />
            </div>
            <button type="submit" class="primary">
              <Bi en="Search" km="ស្វែងរក" />
            </button>
          </form>
        </search>
        {search ? <SearchResults search={search} /> : null}
      </section>
      <section aria-labelledby="lookup-h">
        <h2 id="lookup-h">Open by id</h2>
        <form method="get" action="/console/supporters" class="row" aria-label="Open a supporter by id">
          <TextField path="id" label="Supporter id" value={state.lookup?.id} errors={lookupErrors} />
          <button type="submit">Find</button>
        </form>
      </section>
      <section aria-labelledby="import-h">
        <h2 id="import-h">
          <Bi en="Import a CSV file" km="នាំចូល" />
        </h2>
        <p class="hint">
          Header row: <code>{CSV_HEADER}</code>; tags separated by <code>;</code>. Up to 20 MB here; larger
          files go straight to POST /v1/supporters/import.
        </p>
        <ErrorSummary errors={importErrors} />
        {state.imported?.unavailable ? (
          <p class="notice" role="status">
            CSV import is not available on this server yet.
          </p>
        ) : null}
        {state.imported?.result ? <ImportResultView result={state.imported.result} /> : null}
        <MayChange>
          <form method="post" action="/console/supporters/import" enctype="multipart/form-data">
            <CsrfField csrf={csrf} />
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
      <section aria-labelledby="add-h">
        <h2 id="add-h">
          <Bi en="Add or update a supporter" km="បន្ថែមអ្នកគាំទ្រ" />
        </h2>
        <ErrorSummary errors={add.errors} />
        <MayChange>
          <form method="post" action="/console/supporters" novalidate>
            <CsrfField csrf={csrf} />
            <div class="cols">
              <div>
                <TextField
                  path="name"
                  label={<Bi en="Name" km="ឈ្មោះ" />}
                  value={add.values.name}
                  errors={add.errors}
                />
                <TextField
                  path="phone"
                  label={<Bi en="Phone" km="ទូរស័ព្ទ" />}
                  hint="With country code, e.g. +1 978 555 0100."
                  value={add.values.phone}
                  errors={add.errors}
                />
                <TextField path="email" label="Email" value={add.values.email} errors={add.errors} />
              </div>
              <div>
                <SelectField
                  path="locale"
                  label={<Bi en="Language" km="ភាសា" />}
                  value={add.values.locale}
                  errors={add.errors}
                  options={[
                    { value: 'en', label: 'English' },
                    { value: 'km', label: 'Khmer · ខ្មែរ' },
                  ]}
                />
                <TextField
                  path="timezone"
                  label="Time zone"
                  hint="IANA name, e.g. America/New_York."
                  value={add.values.timezone}
                  errors={add.errors}
                />
                <TextField
                  path="tags"
                  label="Tags"
                  hint="Comma-separated."
                  value={add.values.tags}
                  errors={add.errors}
                />
                <Checkbox
                  path="consent.sms"
                  label="Agreed to SMS"
                  checked={add.values['consent.sms'] === 'on'}
                  errors={add.errors}
                />
                <Checkbox
                  path="consent.email"
                  label="Agreed to email"
                  checked={add.values['consent.email'] === 'on'}
                  errors={add.errors}
                />
              </div>
            </div>
            <button type="submit" class="primary">
              Save supporter
            </button>
          </form>
        </MayChange>
      </section>
    </>,
  );
}

const problemAt = (path: string, message: string): Problem => ({
  status: 400,
  title: 'Invalid input',
  errors: [{ path, message }],
});

export function registerSupporterRoutes(app: Hono<ConsoleEnv>) {
  app.get('/supporters', async (c) => {
    const id = c.req.query('id')?.trim();
    const erased = c.req.query('erased');
    const notice = erased
      ? `Supporter ${erased} erased.`
      : c.req.query('saved')
        ? 'Supporter saved.'
        : undefined;
    const q = c.req.query('q')?.trim() ?? '';
    const tag = c.req.query('tag')?.trim() ?? '';
    // A pasted supporter id opens that supporter.
    if (UUID.test(q) && !tag && !id) return c.redirect(`/console/supporters?id=${q.toLowerCase()}`, 303);
    const search = q || tag ? await searchSupporters(c, q, tag, c.req.query('cursor')) : undefined;
    const status = search?.status ?? 200;
    if (!id)
      return supportersPage(c, {
        notice,
        search,
        status,
        lookup: c.req.query('saved') ? await lookup(c, c.req.query('saved') ?? '') : undefined,
      });
    const found = await lookup(c, id);
    return supportersPage(c, { lookup: found, notice, search, status: found.supporter ? status : 404 });
  });

  async function searchSupporters(
    c: ConsoleContext,
    q: string,
    tag: string,
    cursor?: string,
  ): Promise<SearchState> {
    const digits = q.replace(/\D/g, '');
    if (/^[\d\s+().-]+$/.test(q) && digits.length < 4)
      return {
        q,
        tag,
        errors: placeErrors(problemAt('q', 'Type at least 4 digits to search by phone number.'), ['q']),
        status: 400,
      };
    const params = new URLSearchParams({ limit: String(SEARCH_PAGE_SIZE) });
    if (q) params.set('q', q);
    if (tag) params.set('tag', tag);
    if (cursor) params.set('cursor', cursor);
    const res = await c.get('api').get<SupporterPage>(`/v1/supporters?${params}`);
    if (!res.ok) {
      const problem = res.problem.errors.some((e) => e.path === 'cursor')
        ? problemAt('cursor', 'This page link has expired: search again from the first page.')
        : res.problem;
      return {
        q,
        tag,
        errors: placeErrors(problem, ['q', 'tag']),
        status: res.status as ContentfulStatusCode,
      };
    }
    const nextParams = new URLSearchParams();
    if (q) nextParams.set('q', q);
    if (tag) nextParams.set('tag', tag);
    if (res.body.nextCursor) nextParams.set('cursor', res.body.nextCursor);
    return {
      q,
      tag,
      page: res.body,
      later: Boolean(cursor),
      next: res.body.nextCursor ? `/console/supporters?${nextParams}` : undefined,
      errors: noErrors(),
    };
  }

  async function lookup(c: ConsoleContext, id: string): Promise<NonNullable<SupportersState['lookup']>> {
    const res = await c.get('api').get<Supporter>(`/v1/supporters/${encodeURIComponent(id)}`);
    if (res.ok) {
      const history = await c
        .get('api')
        .get<SupporterMessages>(`/v1/supporters/${encodeURIComponent(id)}/messages?limit=50`);
      return { id, supporter: res.body, messages: history.ok ? history.body.items : [], errors: noErrors() };
    }
    const message =
      res.status === 400
        ? 'Not a supporter id (a UUID such as 5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11).'
        : 'No supporter with this id in your organization.';
    return { id, errors: placeErrors(problemAt('id', message), ['id']) };
  }

  app.post('/supporters', async (c) => {
    const values = await formValues(c);
    const text = (k: string) => (values[k]?.trim() ? values[k]?.trim() : undefined);
    const body = {
      name: text('name'),
      phone: text('phone'),
      email: text('email'),
      locale: values.locale,
      timezone: text('timezone'),
      tags: (values.tags ?? '')
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter(Boolean),
      consent: { sms: values['consent.sms'] === 'on', email: values['consent.email'] === 'on' },
    };
    const res = await c.get('api').post<Supporter>('/v1/supporters', body);
    if (res.ok) return c.redirect(`/console/supporters?saved=${res.body.id}`, 303);
    return supportersPage(c, {
      add: { values, errors: placeErrors(res.problem, ADD_FIELDS) },
      status: res.status as ContentfulStatusCode,
    });
  });

  app.post('/supporters/:id/erase', async (c) => {
    const id = c.req.param('id');
    const res = await c.get('api').del(`/v1/supporters/${encodeURIComponent(id)}`);
    if (res.ok) return c.redirect(`/console/supporters?erased=${encodeURIComponent(id)}`, 303);
    return supportersPage(c, { lookup: await lookup(c, id), status: res.status as ContentfulStatusCode });
  });

  app.post('/supporters/import', async (c) => {
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0)
      return supportersPage(c, {
        imported: { errors: placeErrors(problemAt('file', 'Choose a CSV file.'), ['file']) },
        status: 400,
      });
    const res = await c.get('api').postBody<ImportResult>('/v1/supporters/import', file.stream(), 'text/csv');
    if (res.ok) return supportersPage(c, { imported: { result: res.body, errors: noErrors() } });
    if (res.status === 404 || res.status === 405)
      return supportersPage(c, { imported: { unavailable: true, errors: noErrors() }, status: 501 });
    return supportersPage(c, {
      imported: { errors: placeErrors(res.problem, ['file']) },
      status: res.status as ContentfulStatusCode,
    });
  });
}
