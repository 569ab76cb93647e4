import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Preview, Problem } from '../api-client';
import type { ConsoleContext, FormValues } from '../env';
import { ErrorSummary, placeErrors } from '../form';
import { KIND_LABELS } from '../format';
import { page } from '../render';
import { CampaignForm } from './campaign-form';
import { campaignFormFields, type PlaybookKind } from './playbook-form';
import { builderFields, rowCount } from './stage-builder-form';
import type { OutlineStage } from './stage-outline';
import { textPaths } from './stage-rows';

/** The new-campaign page of one playbook; the API's problem (if any) sets the status and field errors. */
export function newCampaignPage(
  c: ConsoleContext,
  kind: PlaybookKind,
  opts: {
    values: FormValues;
    problem?: Problem;
    idempotencyKey: string;
    previewed?: { digest: string; preview: Preview };
    notice?: string;
    outline?: OutlineStage[];
  },
) {
  const stageFields =
    kind === 'custom'
      ? builderFields(rowCount(opts.values))
      : (opts.outline ?? []).flatMap((_, i) => [
          `stages.${i}.content`,
          `stages.${i}.channel`,
          ...textPaths(i),
        ]);
  const errors = placeErrors(opts.problem, campaignFormFields(kind, stageFields));
  return page(
    c,
    {
      title: 'New campaign',
      section: 'new',
      status: (opts.problem?.status ?? 200) as ContentfulStatusCode,
    },
    <>
      <h1>
        New campaign: {KIND_LABELS[kind]?.en}{' '}
        <span class="km" lang="km">
          {KIND_LABELS[kind]?.km}
        </span>
      </h1>
      <p>
        <a href="/console/campaigns/new">Choose another playbook</a>
      </p>
      {opts.notice ? (
        <p class="notice" role="status">
          {opts.notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <CampaignForm
        kind={kind}
        values={opts.values}
        errors={errors}
        csrf={c.get('session').csrf}
        idempotencyKey={opts.idempotencyKey}
        previewed={opts.previewed}
        outline={opts.outline}
      />
    </>,
  );
}
