import type { z } from '@hono/zod-openapi';
import { raw } from 'hono/utils/html';
import type { CaseViewSchema } from '../../schemas/case';
import type { StageCounts } from '../api-client';
import type { FormValues } from '../env';
import { ErrorSummary, type FormErrors, noErrors, SelectField, TextArea, TextField } from '../form';
import { utc } from '../format';
import { Bi, CsrfField } from '../layout';

/** GET /v1/campaigns/:id/case, typed from the route's own schema. */
export type CaseView = z.infer<typeof CaseViewSchema>;

export const RESPONSE_FIELDS = ['response.target', 'response.summary', 'response.receivedAt'];

/** The case on the campaign page: targets with letters and replies, FI history, replies log, preview links. */
export function CasePanel(props: {
  id: string;
  view: CaseView;
  csrf: string;
  form?: { values: FormValues; errors: FormErrors };
}) {
  const { view, id } = props;
  const v = props.form?.values ?? {};
  const errors = props.form?.errors ?? noErrors();
  return (
    <section aria-labelledby="case-h" data-case-panel>
      <h2 id="case-h">
        <Bi en="Case sheet" km="សន្លឹកករណី" /> {view.uaNumber ?? ''}
      </h2>
      <p>
        Appeal by{' '}
        <time datetime={view.appealBy ?? undefined}>{view.appealBy ? utc(view.appealBy) : '—'}</time> ·
        replies to <code data-reply-address>{view.replyAddress}</code> are logged below · action page preview:{' '}
        <a href={`/console/campaigns/${id}/action-preview?lang=en`} data-preview="en">
          English
        </a>{' '}
        ·{' '}
        <a href={`/console/campaigns/${id}/action-preview?lang=km`} data-preview="km" lang="km">
          ខ្មែរ
        </a>
      </p>
      <table>
        <caption>
          <Bi en="Targets: letters sent through the network and replies" km="អាជ្ញាធរ" />
        </caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Target</th>
            <th scope="col">Language</th>
            <th scope="col">Letters sent</th>
            <th scope="col">Replies</th>
          </tr>
        </thead>
        <tbody>
          {view.targets.map((t) => (
            <tr data-target={t.key}>
              <td>{t.key}</td>
              <th scope="row">
                {t.name}
                {t.title ? <span class="muted"> · {t.title}</span> : null}
                {t.hasEmail ? null : <span class="muted"> (no email: letters by post only)</span>}
              </th>
              <td>{t.language}</td>
              <td data-letters>{String(t.letters)}</td>
              <td data-responses>{String(t.responses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>
        <Bi en="Further Information" km="ព័ត៌មានបន្ថែម" />
      </h3>
      {view.furtherInformation.length === 0 ? (
        <p class="muted">No Further Information sent yet: a case update below is numbered FI 1, FI 2, …</p>
      ) : (
        <ol class="fi" data-fi-history>
          {view.furtherInformation.map((f) => (
            <li data-fi={String(f.fi)}>
              <strong>{f.ref}</strong> {f.closure ? '(closure, final FI) ' : ''}· {f.status} · sent to{' '}
              {String(f.sent)} · <time datetime={f.scheduledAt ?? undefined}>{utc(f.scheduledAt)}</time>
            </li>
          ))}
        </ol>
      )}
      <h3>
        <Bi en="Replies from targets" km="ចម្លើយពីអាជ្ញាធរ" />
      </h3>
      {view.responses.length === 0 ? (
        <p class="muted">No reply logged yet.</p>
      ) : (
        <ul data-replies>
          {view.responses.map((r) => (
            <li data-reply={r.target}>
              <time datetime={r.receivedAt}>{utc(r.receivedAt)}</time> · <strong>{r.targetName}</strong> (
              {r.source === 'email' ? 'by email' : 'logged by an organizer'}): {r.summary}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/console/campaigns/${id}/target-responses`} aria-labelledby="reply-h">
        <h3 id="reply-h">
          <Bi en="Log a reply" km="កត់ត្រាចម្លើយ" />
        </h3>
        <ErrorSummary errors={errors} />
        <CsrfField csrf={props.csrf} />
        <SelectField
          path="response.target"
          label="Target"
          value={v['response.target'] ?? view.targets[0]?.key}
          errors={errors}
          options={view.targets.map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` }))}
        />
        <TextArea
          path="response.summary"
          label="What they answered"
          value={v['response.summary']}
          errors={errors}
          rows={3}
        />
        <TextField
          path="response.receivedAt"
          label="Received at (UTC)"
          type="datetime-local"
          value={v['response.receivedAt']}
          errors={errors}
        />
        <button type="submit">
          <Bi en="Log reply" km="កត់ត្រា" />
        </button>
      </form>
    </section>
  );
}

/**
 * A progress bar per stage (sent / targeted), refreshed without reloading the page by a small
 * same-origin script that polls the page's own progress.json (CSP: nonce'd script, connect-src self).
 */
export function LiveProgress(props: {
  id: string;
  nonce: string;
  live: boolean;
  stages: Array<{ key: string; status: string; counts: StageCounts }>;
}) {
  return (
    <section
      aria-labelledby="progress-h"
      data-live-progress={props.live ? `/console/campaigns/${props.id}/progress.json` : undefined}
    >
      <h2 id="progress-h">
        <Bi en="Sending" km="កំពុងផ្ញើ" />
      </h2>
      {props.stages.map((s) => (
        <div class="progress-row" data-progress-stage={s.key}>
          <label for={`progress-${s.key}`}>{s.key}</label>{' '}
          <progress id={`progress-${s.key}`} max={Math.max(1, s.counts.targeted)} value={s.counts.sent} />{' '}
          <span data-progress-text>{`${s.counts.sent} / ${s.counts.targeted}`}</span>{' '}
          <span class={`badge s-${s.status}`} data-progress-status>
            {s.status}
          </span>
        </div>
      ))}
      {props.live ? <script nonce={props.nonce}>{raw(LIVE_PROGRESS_SCRIPT)}</script> : null}
    </section>
  );
}

/** Polls every 2 s while the campaign runs; stops when it has ended or the page is hidden for good. */
export const LIVE_PROGRESS_SCRIPT = `(() => {
  const box = document.querySelector('[data-live-progress]');
  if (!box) return;
  const url = box.getAttribute('data-live-progress');
  const tick = async () => {
    let ended = false;
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (res.ok) {
        const data = await res.json();
        for (const s of data.stages) {
          const row = box.querySelector('[data-progress-stage="' + CSS.escape(s.key) + '"]');
          if (!row) continue;
          const bar = row.querySelector('progress');
          bar.max = Math.max(1, s.targeted);
          bar.value = s.sent;
          row.querySelector('[data-progress-text]').textContent = s.sent + ' / ' + s.targeted;
          const badge = row.querySelector('[data-progress-status]');
          badge.textContent = s.status;
          badge.className = 'badge s-' + s.status;
        }
        const status = document.querySelector('[data-campaign-status]');
        if (status) { status.textContent = data.status; status.className = 'badge s-' + data.status; }
        ended = data.ended;
      }
    } catch (e) {}
    if (!ended) setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
})();`;
