import { isTerminalCampaignStatus } from '../../domain/campaign-status';
import { fiOfStageKey } from '../../domain/case-sheet';
import type { CampaignDetail } from './api-client';
import { CasePanel, type CaseView, LiveProgress } from './case-panel';
import type { FormValues } from './env';
import { ErrorSummary, type FormErrors, noErrors, SelectField, TextArea } from './form';
import { kindLabel, percent, stageStatusLabel, utc, widenedToLabel } from './format';
import { Funnel } from './funnel';
import { Bi, CsrfField } from './layout';
import { MayChange } from './role-context';

const COUNT_NAMES = ['targeted', 'sent', 'delivered', 'failed', 'deferred', 'acted', 'excluded'] as const;

/** Field paths of the two case-update forms: the API's paths under the form's name. */
export const UPDATE_FIELDS = [
  'update.content.en.sms',
  'update.content.km.sms',
  'update.content.en.body',
  'update.content.km.body',
  'update.audience',
];
export const CLOSE_FIELDS = [
  'close.resolution',
  'close.content.en.sms',
  'close.content.km.sms',
  'close.audience',
];

export const nextStage = (c: CampaignDetail) => c.stages.find((s) => s.status === 'pending');

function Timeline(props: { campaign: CampaignDetail }) {
  return (
    <ol class="timeline">
      {props.campaign.stages.map((s) => (
        <li class={`s-${s.status}`} data-stage={s.key} data-status={s.status}>
          <strong>{s.key}</strong>
          {fiOfStageKey(s.key) ? <strong data-fi-label> · FI {String(fiOfStageKey(s.key))}</strong> : null}{' '}
          <span class={`badge s-${s.status}`}>{stageStatusLabel(s.status)}</span>{' '}
          <span class="muted">
            <time datetime={s.scheduledAt ?? undefined}>{utc(s.scheduledAt)}</time>
          </span>
          <dl class="counts">
            {COUNT_NAMES.filter((n) => n !== 'excluded' || (s.counts.excluded ?? 0) > 0).map((n) => (
              <div>
                <dt>{n}</dt>
                <dd data-count={n}>{String(s.counts[n] ?? 0)}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ol>
  );
}

function Control(props: {
  id: string;
  action: 'pause' | 'resume' | 'cancel';
  csrf: string;
  en: string;
  km: string;
}) {
  return (
    <MayChange>
      <form method="post" action={`/console/campaigns/${props.id}/${props.action}`}>
        <CsrfField csrf={props.csrf} />
        <button type="submit" class={props.action === 'cancel' ? 'danger' : undefined}>
          <Bi en={props.en} km={props.km} />
        </button>
      </form>
    </MayChange>
  );
}

const AUDIENCES = [
  { value: 'recipients', label: 'Everyone who received this campaign' },
  { value: 'acted', label: 'Only those who acted' },
  { value: 'all', label: 'Everyone in the campaign audience (its tags), reached yet or not' },
];

function CaseUpdateForm(props: { id: string; csrf: string; values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  return (
    <form method="post" action={`/console/campaigns/${props.id}/case-update`} aria-labelledby="update-h">
      <h2 id="update-h">
        <Bi en="Send a case update" km="ព័ត៌មានថ្មីអំពីករណី" />
      </h2>
      <ErrorSummary errors={errors} />
      <CsrfField csrf={props.csrf} />
      <div class="cols">
        <div>
          <TextArea
            path="update.content.en.sms"
            label={<Bi en="English SMS" km="សារអង់គ្លេស" />}
            lang="en"
            value={v['update.content.en.sms']}
            errors={errors}
            sms
          />
          <TextArea
            path="update.content.en.body"
            label="English email body (optional)"
            lang="en"
            value={v['update.content.en.body']}
            errors={errors}
          />
        </div>
        <div>
          <TextArea
            path="update.content.km.sms"
            label={<Bi en="Khmer SMS" km="សារខ្មែរ" />}
            lang="km"
            value={v['update.content.km.sms']}
            errors={errors}
            sms
          />
          <TextArea
            path="update.content.km.body"
            label="Khmer email body (optional)"
            lang="km"
            value={v['update.content.km.body']}
            errors={errors}
          />
        </div>
      </div>
      <SelectField
        path="update.audience"
        label="Send to"
        options={AUDIENCES}
        value={v['update.audience'] ?? 'recipients'}
        errors={errors}
      />
      <button type="submit" class="primary">
        <Bi en="Send case update" km="ផ្ញើ" />
      </button>
    </form>
  );
}

function CloseForm(props: { id: string; csrf: string; values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  return (
    <form method="post" action={`/console/campaigns/${props.id}/close`} aria-labelledby="close-h">
      <h2 id="close-h">
        <Bi en="Close the case" km="បិទករណី" />
      </h2>
      <p class="hint">
        Pending stages are cancelled and this outcome message goes out; the campaign ends as closed.
      </p>
      <ErrorSummary errors={errors} />
      <CsrfField csrf={props.csrf} />
      <SelectField
        path="close.resolution"
        label="Resolution"
        value={v['close.resolution'] ?? 'released'}
        errors={errors}
        options={['released', 'acquitted', 'dropped', 'closed'].map((r) => ({ value: r, label: r }))}
      />
      <div class="cols">
        <TextArea
          path="close.content.en.sms"
          label={<Bi en="English SMS" km="សារអង់គ្លេស" />}
          lang="en"
          value={v['close.content.en.sms']}
          errors={errors}
          sms
        />
        <TextArea
          path="close.content.km.sms"
          label={<Bi en="Khmer SMS" km="សារខ្មែរ" />}
          lang="km"
          value={v['close.content.km.sms']}
          errors={errors}
          sms
        />
      </div>
      <SelectField
        path="close.audience"
        label="Send to"
        options={AUDIENCES}
        value={v['close.audience'] ?? 'all'}
        errors={errors}
      />
      <button type="submit" class="danger">
        <Bi en="Close the case" km="បិទករណី" />
      </button>
    </form>
  );
}

export function CampaignView(props: {
  campaign: CampaignDetail;
  csrf: string;
  notice?: string;
  form?: { which: 'update' | 'close'; values: FormValues; errors: FormErrors };
  /** For the live progress script (the page's CSP nonce). */
  nonce?: string;
  /** case_alert: the case sheet, letters, replies and FI history. */
  caseView?: CaseView;
  responseForm?: { values: FormValues; errors: FormErrors };
}) {
  const { campaign: c, csrf, form } = props;
  const totals = { targeted: 0, sent: 0, delivered: 0, acted: 0 };
  for (const s of c.stages)
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += s.counts[k];
  const next = nextStage(c);
  const live = !isTerminalCampaignStatus(c.status);
  return (
    <>
      <h1>{c.title}</h1>
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        {kindLabel(c.kind)} · status{' '}
        <span class={`badge s-${c.status}`} data-campaign-status={c.status}>
          {c.status}
        </span>{' '}
        · action rate <strong data-action-rate>{percent(c.actionRate)}</strong> · current stage{' '}
        {c.currentStage ?? '—'} · next {next ? `${next.key} at ${utc(next.scheduledAt)}` : '—'} ·{' '}
        <a href={`/console/campaigns/${c.id}`}>Refresh</a>
      </p>
      {live ? (
        <div class="controls">
          {c.status === 'paused' ? (
            <Control id={c.id} action="resume" csrf={csrf} en="Resume" km="បន្ត" />
          ) : (
            <Control id={c.id} action="pause" csrf={csrf} en="Pause" km="ផ្អាក" />
          )}
          <Control id={c.id} action="cancel" csrf={csrf} en="Cancel campaign" km="បោះបង់" />
        </div>
      ) : null}
      {props.nonce ? <LiveProgress id={c.id} nonce={props.nonce} live={live} stages={c.stages} /> : null}
      {props.caseView ? (
        <CasePanel id={c.id} view={props.caseView} csrf={csrf} form={props.responseForm} />
      ) : null}
      <div class="cols">
        <section aria-labelledby="stages-h">
          <h2 id="stages-h">
            <Bi en="Stages" km="ដំណាក់កាល" />
          </h2>
          <Timeline campaign={c} />
        </section>
        <section aria-labelledby="funnel-h">
          <h2 id="funnel-h">Funnel</h2>
          <Funnel
            counts={totals}
            caption="Summed over stages: a supporter counts once per stage that reached them."
          />
          <h2>Escalations</h2>
          {(c.escalations ?? []).length === 0 ? (
            <p class="muted">No escalation has fired.</p>
          ) : (
            <ul>
              {(c.escalations ?? []).map((e) => (
                <li data-escalation={e.stageKey}>
                  {utc(e.at)}, after {e.stageKey}: action rate {percent(e.actionRate)}
                  {e.ifActionRateBelow === null ? '' : `, under the rule's ${percent(e.ifActionRateBelow)}`}.{' '}
                  {e.widenedTo ? (
                    <strong data-widened-to>
                      Audience widened to supporters tagged {widenedToLabel(e.widenedTo.tags)} for later
                      stages and case updates.
                    </strong>
                  ) : e.step === 'widen_audience' ? (
                    'A widening that named no tags: recorded before widenings were named, it widens to nobody now (earlier code widened such a step to the whole organization).'
                  ) : (
                    'Recorded for organizers (no notification is sent yet); the audience was not widened.'
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {live ? (
        <MayChange>
          <CaseUpdateForm
            id={c.id}
            csrf={csrf}
            values={form?.which === 'update' ? form.values : {}}
            errors={form?.which === 'update' ? form.errors : noErrors()}
          />
          <CloseForm
            id={c.id}
            csrf={csrf}
            values={form?.which === 'close' ? form.values : {}}
            errors={form?.which === 'close' ? form.errors : noErrors()}
          />
        </MayChange>
      ) : null}
    </>
  );
}
