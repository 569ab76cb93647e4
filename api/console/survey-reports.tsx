import type { Hono } from 'hono';
import type { ConsoleContext, ConsoleEnv } from './env';
import { formValues } from './env';
import { Bi, CsrfField } from './layout';
import { messagePage, page } from './render';

interface Report {
  id: string;
  campaignId: string;
  respondent: string;
  round: number;
  question: string;
  text: string;
  answeredAt: string;
  status: 'pending' | 'verified' | 'rejected';
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

const STATUSES = ['pending', 'verified', 'rejected'] as const;

async function queuePage(c: ConsoleContext, notice?: string, error?: { id: string; message: string }) {
  const status = STATUSES.find((s) => s === c.req.query('status'));
  const campaignId = c.req.query('campaignId');
  const q = new URLSearchParams();
  if (status) q.set('status', status);
  if (campaignId && /^[0-9a-f-]{36}$/i.test(campaignId)) q.set('campaignId', campaignId);
  const cursor = c.req.query('cursor');
  if (cursor && /^\d+$/.test(cursor)) q.set('cursor', cursor);
  const list = await c.get('api').get<{ items: Report[]; nextCursor: string | null }>(`/v1/reports?${q}`);
  if (!list.ok) return messagePage(c, 502, 'Reports unavailable', list.problem.detail ?? list.problem.title);
  const csrf = c.get('session').csrf;
  const here = (extra: Record<string, string>) =>
    `/console/reports?${new URLSearchParams({ ...Object.fromEntries(q), ...extra })}`;
  return page(
    c,
    { title: 'Reports', section: 'campaigns' },
    <>
      <h1>
        <Bi en="Reports to review" km="របាយការណ៍ដែលត្រូវពិនិត្យ" />
      </h1>
      <p>
        Free-text answers from monitoring surveys. Only verified reports count in published results. Reporters
        are shown by a pseudonymous id only.
      </p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p class="row">
        {STATUSES.map((s) => (
          <a href={here({ status: s })} aria-current={s === status ? 'page' : undefined}>
            {s}
          </a>
        ))}
      </p>
      {list.body.items.length === 0 ? <p>No reports here.</p> : null}
      {list.body.items.map((r) => (
        <article class="card" data-report={r.id}>
          <p>
            <span class={`badge s-${r.status}`}>{r.status}</span>
            {` respondent ${r.respondent.slice(0, 8)} · round ${r.round} · ${r.question} · ${r.answeredAt}`}
          </p>
          <blockquote lang={/[\u1780-\u17FF]/.test(r.text) ? 'km' : undefined}>{r.text}</blockquote>
          {r.reviewedBy ? (
            <p>{`Reviewed by ${r.reviewedBy} at ${r.reviewedAt}${r.note ? `: ${r.note}` : ''}`}</p>
          ) : null}
          <form method="post" action={`/console/reports/${r.id}/review`} class="row">
            <CsrfField csrf={csrf} />
            <div class="field">
              <label for={`note-${r.id}`}>
                <Bi en="Reviewer note" km="កំណត់ចំណាំ" />
              </label>
              <input id={`note-${r.id}`} name="note" value={r.note ?? ''} maxlength={2000} />
              {error?.id === r.id ? (
                <p class="error" role="alert">
                  {error.message}
                </p>
              ) : null}
            </div>
            <button type="submit" name="status" value="verified">
              <Bi en="Verify" km="ផ្ទៀងផ្ទាត់" />
            </button>
            <button type="submit" name="status" value="rejected">
              <Bi en="Reject" km="បដិសេធ" />
            </button>
          </form>
        </article>
      ))}
      {list.body.nextCursor ? (
        <p>
          <a href={here({ cursor: list.body.nextCursor })}>Next page</a>
        </p>
      ) : null}
    </>,
  );
}

export function registerSurveyReportPages(app: Hono<ConsoleEnv>) {
  app.get('/reports', (c) => queuePage(c));
  app.post('/reports/:id/review', async (c) => {
    const id = c.req.param('id');
    const v = await formValues(c);
    const res = await c.get('api').post(`/v1/reports/${encodeURIComponent(id)}/review`, {
      status: v.status,
      ...(v.note?.trim() ? { note: v.note } : {}),
    });
    if (res.ok) return queuePage(c, `Report ${id} ${v.status}.`);
    if (res.status === 404)
      return messagePage(c, 404, 'No such report', 'This report is not in your organization.');
    return queuePage(c, undefined, { id, message: res.problem.errors[0]?.message ?? res.problem.title });
  });
}
