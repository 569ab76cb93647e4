import type { SandboxDeps } from './context';
import type { SandboxMessage } from './store';
import { messageResource } from './twilio-wire';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A DateSent bound: "YYYY-MM-DD" means that UTC day, a full timestamp means that instant. */
interface Bound {
  start: number;
  end: number;
}

function parseBound(value: string): Bound | undefined {
  const t = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) return undefined;
  return DATE_ONLY.test(value) ? { start: t, end: t + DAY_MS } : { start: t, end: t + 1000 };
}

type Filter = (m: SandboxMessage) => boolean;

function dateFilters(q: URLSearchParams): Filter[] | string {
  const filters: Filter[] = [];
  const sent = (m: SandboxMessage) => (m.dateSent === null ? undefined : Date.parse(m.dateSent));
  const tests: Array<[string, (t: number, b: Bound) => boolean]> = [
    ['DateSent', (t, b) => t >= b.start && t < b.end],
    ['DateSent>', (t, b) => t >= b.start],
    ['DateSent<', (t, b) => t < b.end],
  ];
  for (const [key, test] of tests) {
    const raw = q.get(key);
    if (raw === null) continue;
    const bound = parseBound(raw);
    if (!bound) return `Invalid ${key} value`;
    // Like Twilio, a message not yet sent has no date_sent and matches no DateSent filter.
    filters.push((m) => {
      const t = sent(m);
      return t !== undefined && test(t, bound);
    });
  }
  return filters;
}

/** GET Messages.json: To / From / DateSent filters, newest first, Twilio's page envelope. */
export function listMessages(deps: SandboxDeps, url: URL) {
  const q = url.searchParams;
  const dates = dateFilters(q);
  if (typeof dates === 'string') return { error: dates };
  const to = q.get('To');
  const from = q.get('From');
  const pageSize = Math.min(
    MAX_PAGE_SIZE,
    Math.max(1, Number(q.get('PageSize') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE),
  );
  const page = Math.max(0, Math.floor(Number(q.get('Page') ?? 0) || 0));

  const all = deps.store.messages
    .filter((m) => m.channel === 'sms')
    .filter((m) => to === null || m.to === to)
    .filter((m) => from === null || m.from === from)
    .filter((m) => dates.every((f) => f(m)))
    .sort((a, b) => b.seq - a.seq);
  const start = page * pageSize;
  const items = all.slice(start, start + pageSize);

  const pageUri = (n: number) => {
    const next = new URLSearchParams(q);
    next.set('PageSize', String(pageSize));
    next.set('Page', String(n));
    if (n > 0) next.set('PageToken', `PA${n}`);
    else next.delete('PageToken');
    return `${url.pathname}?${next.toString()}`;
  };
  return {
    page: {
      messages: items.map((m) => messageResource(m, deps.accountSid)),
      end: start + Math.max(0, items.length - 1),
      first_page_uri: pageUri(0),
      next_page_uri: start + pageSize < all.length ? pageUri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      start,
      uri: `${url.pathname}${url.search}`,
    },
  };
}
