import { isTerminalCampaignStatus } from '../../../domain/campaign-status';
import type { CampaignDetail } from '../api-client';
import type { FormValues } from '../env';
import { type FormErrors, noErrors } from '../form';
import { kindLabel, percent, utc } from '../format';
import { Funnel } from '../funnel';
import { Bi } from '../layout';
import { MayChange } from '../role-context';
import { CasePanel, type CaseView, LiveProgress } from './case-panel';
import { CaseUpdateForm } from './case-update-form';
import { CloseForm } from './close-form';
import { Control } from './control-button';
import { Escalations } from './escalations';
import { Timeline } from './timeline';

/** The stage an organizer waits for next: the first one still pending. */
export const nextStage = (c: CampaignDetail) => c.stages.find((s) => s.status === 'pending');

/**
 * One campaign: status and controls, the stage timeline, the funnel, escalations and (while the
 * campaign is live) the case-update and close forms, `form` refilled after a refused submit.
 */
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
          <Escalations escalations={c.escalations} />
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
