import type { FormValues } from '../env';
import { type FormErrors, SelectField, TextArea } from '../form';
import { Bi } from '../layout';
import type { OutlineStage } from './stage-outline';
import { timingLabel } from './stage-outline';
import { AUDIENCE_LABELS, CHANNEL_OPTIONS, PLACEHOLDER_HINT, StageTexts } from './stage-texts';

/**
 * Every stage of the chosen playbook: when, to whom, by which channel, and its text per language,
 * prefilled from the templates. Change one stage and leave the rest: an unchanged stage launches
 * with its template (and records the template's version).
 */
export function StageList(props: {
  outline: OutlineStage[];
  values: FormValues;
  errors: FormErrors;
  weeklyTargets: boolean;
}) {
  const { outline, values: v, errors } = props;
  const open = (i: number) =>
    outline.length <= 4 || [...errors.byField.keys()].some((f) => f.startsWith(`stages.${i}.`));
  return (
    <fieldset data-stages>
      <legend>
        <Bi en="Stages" km="ដំណាក់កាល" />
      </legend>
      <p class="hint">
        Each stage's text is prewritten in English and Khmer (the Khmer to be checked by the organization's
        native speakers). Change any of it; a stage you leave as it is uses its template (your organization
        words templates its own way under <a href="/console/templates">Stage texts</a>). {PLACEHOLDER_HINT}
      </p>
      {outline.map((s, i) => (
        <details open={open(i)} data-stage-row={s.key}>
          <summary>
            <strong>{s.key}</strong> · <span data-stage-time>{timingLabel(s.at)}</span> ·{' '}
            <span data-stage-audience>{AUDIENCE_LABELS[s.audience] ?? s.audience}</span> ·{' '}
            <span data-stage-channel>{v[`stages.${i}.channel`] ?? s.channel}</span>
            {s.templateRef ? (
              <span class="hint">
                {' '}
                (template {s.templateRef.id} v{s.templateRef.version}
                {s.templateRef.origin === 'organization' ? ', your organization’s wording' : ''})
              </span>
            ) : null}
          </summary>
          <input type="hidden" name={`stages.${i}.key`} value={s.key} />
          <input type="hidden" name={`stages.${i}.prefill`} value={v[`stages.${i}.prefill`] ?? ''} />
          <SelectField
            path={`stages.${i}.channel`}
            label="Channel"
            value={v[`stages.${i}.channel`] ?? s.channel}
            errors={errors}
            options={CHANNEL_OPTIONS}
          />
          {props.weeklyTargets && /^week-\d+$/.test(s.key) ? (
            <TextArea
              path={`params.weeklyTargets.${Number(s.key.slice(5)) - 1}`}
              label={`Targets in ${s.key.replace('-', ' ')}`}
              hint="One per line: Name | Title | email. Empty: the targets under Action."
              value={v[`params.weeklyTargets.${Number(s.key.slice(5)) - 1}`]}
              errors={errors}
              rows={2}
            />
          ) : null}
          <StageTexts i={i} values={v} errors={errors} />
        </details>
      ))}
    </fieldset>
  );
}
