import type { CampaignDetail } from '../api-client';
import { percent, utc, widenedToLabel } from '../format';

/** The escalations that fired: when, after which stage, the action rate and whom a widening added. */
export function Escalations(props: { escalations: CampaignDetail['escalations'] }) {
  const escalations = props.escalations ?? [];
  if (escalations.length === 0) return <p class="muted">No escalation has fired.</p>;
  return (
    <ul>
      {escalations.map((e) => (
        <li data-escalation={e.stageKey}>
          {utc(e.at)}, after {e.stageKey}: action rate {percent(e.actionRate)}
          {e.ifActionRateBelow === null ? '' : `, under the rule's ${percent(e.ifActionRateBelow)}`}.{' '}
          {e.widenedTo ? (
            <strong data-widened-to>
              Audience widened to supporters tagged {widenedToLabel(e.widenedTo.tags)} for later stages and
              case updates.
            </strong>
          ) : e.step === 'widen_audience' ? (
            'A widening that named no tags: recorded before widenings were named, it widens to nobody now (earlier code widened such a step to the whole organization).'
          ) : (
            'Recorded for organizers (no notification is sent yet); the audience was not widened.'
          )}
        </li>
      ))}
    </ul>
  );
}
