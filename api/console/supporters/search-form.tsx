import { ErrorSummary, noErrors, TextField } from '../form';
import { Bi } from '../layout';
import { SearchResults, type SearchState } from './search-results';

/** The search box (name, email, ≥4 phone digits or an id) and tag filter, with the results below. */
export function SearchSection(props: { search?: SearchState }) {
  const { search } = props;
  const searchErrors = search?.errors ?? noErrors();
  return (
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
  );
}
