import type { Preview } from '../api-client';
import { usd, utc, widenedToLabel } from '../format';
import { Bi } from '../layout';
import { CasePreview } from './case-sheet-form';

type PreviewStage = Preview['stages'][number];

/** A stage's message per language as a sample supporter (Sophea) would get it, with SMS segments. */
function StageTextPreview(props: { stage: PreviewStage }) {
  const { text, template } = props.stage;
  const one = (l: 'en' | 'km', name: string) => {
    const t = text[l];
    if (!t) return null;
    return (
      <div data-text-locale={l} lang={l === 'km' ? 'km' : undefined}>
        <h4>{name}</h4>
        {t.sms !== undefined ? (
          <>
            <pre data-text="sms">{t.sms}</pre>
            <p class="hint" data-text-segments>
              SMS: {t.smsSegments?.encoding}, {t.smsSegments?.segments} segment
              {t.smsSegments?.segments === 1 ? '' : 's'}
            </p>
          </>
        ) : null}
        {t.subject !== undefined ? (
          <p>
            Subject: <strong data-text="subject">{t.subject}</strong>
          </p>
        ) : null}
        {t.body !== undefined ? (
          <details>
            <summary>Email body</summary>
            <pre data-text="body">{t.body}</pre>
          </details>
        ) : null}
      </div>
    );
  };
  return (
    <div class="cols">
      {one('en', 'English')}
      {one('km', 'ខ្មែរ Khmer')}
      {template ? (
        <p class="hint">
          From template {template.id} v{template.version}
          {template.origin === 'organization' ? ' (your organization’s wording)' : ''}
        </p>
      ) : null}
    </div>
  );
}

/** The preview of a campaign form: audience, each stage's recipients, segments and cost, widened too. */
export function PreviewPanel(props: { preview: Preview }) {
  const { audience, stages } = props.preview;
  const cost = (c: { sms: number; email: number }) => c.sms + c.email;
  const total = stages.reduce((n, s) => n + cost(s.estimatedCost), 0);
  const widenedTotal = stages.reduce((n, s) => n + cost((s.ifWidened ?? s).estimatedCost), 0);
  const seg = (e: { encoding: string; segments: number } | null) =>
    e ? `${e.encoding}, ${e.segments}` : '—';
  return (
    <section aria-labelledby="preview-h" id="preview">
      <h2 id="preview-h">
        <Bi en="Preview" km="មើលជាមុន" />
      </h2>
      <p>
        Audience: <strong data-preview="total">{audience.total}</strong> supporters ·{' '}
        <span data-preview="sms">{audience.sms}</span> by SMS ·{' '}
        <span data-preview="email">{audience.email}</span> by email. Excluded: {audience.excluded.optedOut}{' '}
        opted out, {audience.excluded.noConsent} without consent, {audience.excluded.noContact} without
        contact details.
      </p>
      {props.preview.approximation ? (
        <p class="hint" data-preview="approximate">
          <Bi
            en={`Estimated from a sample of this large organization: between ${props.preview.approximation.audienceTotal.low} and ${props.preview.approximation.audienceTotal.high} supporters (95 %). Preview again in a moment for exact figures; a launch always reaches the exact audience.`}
            km={`ប៉ាន់ស្មានពីគំរូនៃអង្គការធំនេះ៖ ចន្លោះ ${props.preview.approximation.audienceTotal.low} និង ${props.preview.approximation.audienceTotal.high} នាក់ (95 %)។ សូមមើលជាមុនម្តងទៀតបន្តិចទៀត ដើម្បីទទួលបានលេខពិតប្រាកដ។ ការចាប់ផ្តើមយុទ្ធនាការតែងតែផ្ញើទៅកាន់អ្នកគាំទ្រពិតប្រាកដ។`}
          />
        </p>
      ) : null}
      <table>
        <caption class="visually-hidden">Stages as they would go out</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">When</th>
            <th scope="col">Channel</th>
            <th scope="col">Recipients</th>
            <th scope="col">SMS English (encoding, segments)</th>
            <th scope="col">
              SMS <span lang="km">ខ្មែរ</span> (encoding, segments)
            </th>
            <th scope="col">Estimated cost</th>
          </tr>
        </thead>
        <tbody>
          {stages.flatMap((s) => [
            <tr data-stage={s.key}>
              <th scope="row">{s.key}</th>
              <td>{utc(s.scheduledAt)}</td>
              <td>{s.channel}</td>
              <td>{s.recipients}</td>
              <td data-segments="en">{seg(s.sms.en)}</td>
              <td data-segments="km">{seg(s.sms.km)}</td>
              <td>
                {usd(s.estimatedCost.sms)} SMS + {usd(s.estimatedCost.email)} email
              </td>
            </tr>,
            <tr data-stage-text={s.key}>
              <td colspan={7}>
                <StageTextPreview stage={s} />
              </td>
            </tr>,
            s.ifWidened ? (
              <tr data-stage-widened={s.key} class="widened">
                <th scope="row">
                  {s.key}, if widened
                  <span class="hint">
                    {s.ifWidened.by.map(
                      (w) =>
                        ` after ${w.stageKey} if under ${Math.round(w.ifActionRateBelow * 100)}% act: + supporters tagged ${widenedToLabel(w.widenTo.tags)}`,
                    )}
                  </span>
                </th>
                <td>{utc(s.scheduledAt)}</td>
                <td>{s.channel}</td>
                <td data-widened-recipients>{s.ifWidened.recipients}</td>
                <td>{seg(s.ifWidened.sms.en)}</td>
                <td>{seg(s.ifWidened.sms.km)}</td>
                <td>
                  {usd(s.ifWidened.estimatedCost.sms)} SMS + {usd(s.ifWidened.estimatedCost.email)} email
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
      <p>
        Estimated total: <strong data-preview="cost">{usd(total)}</strong>
        {widenedTotal !== total ? (
          <>
            {' '}
            as launched; <strong data-preview="widened-cost">{usd(widenedTotal)}</strong> if every widening
            fires
          </>
        ) : null}{' '}
        (USD; placeholders filled with sample values).
      </p>
      <CasePreview preview={props.preview} />
    </section>
  );
}
