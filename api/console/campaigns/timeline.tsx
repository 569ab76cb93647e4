import { fiOfStageKey } from '../../../domain/case-sheet';
import type { CampaignDetail } from '../api-client';
import { stageStatusLabel, utc } from '../format';

const ENDED = new Set(['completed', 'cancelled', 'closed']);
const COUNT_NAMES = ['targeted', 'sent', 'delivered', 'failed', 'deferred', 'acted', 'excluded'] as const;

/** The stages in order with status, time and counts (excluded only when some were). */
export function Timeline(props: { campaign: CampaignDetail }) {
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
          {s.status === 'pending' && !fiOfStageKey(s.key) && !ENDED.has(props.campaign.status) ? (
            <>
              {' '}
              <a
                href={`/console/campaigns/${props.campaign.id}/stages/${encodeURIComponent(s.key)}`}
                data-edit-stage
              >
                Edit time and text
              </a>
            </>
          ) : null}
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
