import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Supporter, SupporterMessages } from '../api-client';
import type { ConsoleContext, FormValues } from '../env';
import { type FormErrors, noErrors, TextField } from '../form';
import { Bi } from '../layout';
import { page } from '../render';
import { AddSupporterForm } from './add-supporter-form';
import { ImportSection, type ImportState } from './import-form';
import { SearchSection } from './search-form';
import type { SearchState } from './search-results';
import { SupporterCard } from './supporter-card';

/** Everything the supporters page shows; each part is absent when the request did not touch it. */
export interface SupportersState {
  search?: SearchState;
  lookup?: { id: string; supporter?: Supporter; messages?: SupporterMessages['items']; errors: FormErrors };
  add?: { values: FormValues; errors: FormErrors };
  imported?: ImportState;
  notice?: string;
  status?: ContentfulStatusCode;
}

/** The supporters page: the opened supporter, search, open by id, CSV import and the add form. */
export function supportersPage(c: ConsoleContext, state: SupportersState) {
  const csrf = c.get('session').csrf;
  const lookupErrors = state.lookup?.errors ?? noErrors();
  const add = state.add ?? { values: { locale: 'en', timezone: 'UTC' }, errors: noErrors() };
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
      <SearchSection search={state.search} />
      <section aria-labelledby="lookup-h">
        <h2 id="lookup-h">Open by id</h2>
        <form method="get" action="/console/supporters" class="row" aria-label="Open a supporter by id">
          <TextField path="id" label="Supporter id" value={state.lookup?.id} errors={lookupErrors} />
          <button type="submit">Find</button>
        </form>
      </section>
      <ImportSection csrf={csrf} imported={state.imported} />
      <AddSupporterForm csrf={csrf} values={add.values} errors={add.errors} />
    </>,
  );
}
