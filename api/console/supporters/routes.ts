import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ImportResult, Problem, Supporter, SupporterMessages, SupporterPage } from '../api-client';
import type { ConsoleContext, ConsoleEnv } from '../env';
import { formValues } from '../env';
import { noErrors, placeErrors } from '../form';
import { ADD_FIELDS } from './add-supporter-form';
import type { SearchState } from './search-results';
import { type SupportersState, supportersPage } from './supporters-page';

/** Largest CSV the console accepts (bytes); larger files go straight to POST /v1/supporters/import. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const SEARCH_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const problemAt = (path: string, message: string): Problem => ({
  status: 400,
  title: 'Invalid input',
  errors: [{ path, message }],
});

/** Runs a supporter search through the API; a too-short phone search is refused here (400). */
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

/** Loads one supporter and their last 50 messages; an unknown or malformed id becomes a field error. */
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

/** GET and POST /console/supporters, POST /console/supporters/:id/erase and /console/supporters/import. */
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
