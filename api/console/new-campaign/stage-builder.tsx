import type { FormValues } from '../env';
import { type FormErrors, SelectField, TextField } from '../form';
import { Bi } from '../layout';
import { rowCount } from './stage-builder-form';
import { CHANNEL_OPTIONS, PLACEHOLDER_HINT, StageTexts } from './stage-texts';

const TIMING_OPTIONS = [
  { value: 'after', label: 'after launch' },
  { value: 'at', label: 'at a time (UTC)' },
  { value: 'before', label: 'before the anchor date' },
  { value: 'afterAnchor', label: 'after the anchor date' },
];
const UNIT_OPTIONS = ['minutes', 'hours', 'days', 'weeks'].map((u) => ({ value: u, label: u }));
const AUDIENCE_OPTIONS = [
  { value: 'all', label: 'everyone in the audience' },
  { value: 'not_acted', label: 'those who have not acted' },
  { value: 'acted', label: 'those who acted' },
];

/**
 * The custom campaign's stage builder. Add, remove and reorder are submit buttons the server
 * answers by re-rendering the form, so it works without JavaScript; the API validates the stages
 * (the same zod schema as POST /v1/campaigns) and its errors land beside each field.
 */
export function StageBuilder(props: { values: FormValues; errors: FormErrors }) {
  const { values: v, errors } = props;
  const n = rowCount(v);
  return (
    <fieldset data-stage-builder>
      <legend>
        <Bi en="Stages" km="ដំណាក់កាល" />
      </legend>
      <p class="hint">
        Each stage: a key (lowercase, e.g. reminder-2), when it fires, whom it reaches, by which channel, and
        its text in each language. {PLACEHOLDER_HINT}
      </p>
      {Array.from({ length: n }, (_, i) => {
        const p = (f: string) => `stages.${i}.${f}`;
        return (
          <fieldset data-builder-row={i}>
            <legend>Stage {i + 1}</legend>
            <div class="cols">
              <TextField path={p('key')} label="Key" value={v[p('key')]} errors={errors} />
              <SelectField
                path={p('timing')}
                label="When"
                value={v[p('timing')] || 'after'}
                errors={errors}
                options={TIMING_OPTIONS}
              />
              <TextField
                path={p('at')}
                type="number"
                label="How long (after launch / before or after the anchor)"
                value={v[p('at')]}
                errors={errors}
              />
              <SelectField
                path={p('unit')}
                label="Unit"
                value={v[p('unit')] || 'days'}
                errors={errors}
                options={UNIT_OPTIONS}
              />
              <TextField
                path={p('atTime')}
                type="datetime-local"
                label="At (UTC), for “at a time”"
                value={v[p('atTime')]}
                errors={errors}
              />
              <SelectField
                path={p('audience.select')}
                label="Audience"
                value={v[p('audience.select')] || 'all'}
                errors={errors}
                options={AUDIENCE_OPTIONS}
              />
              <SelectField
                path={p('channel')}
                label="Channel"
                value={v[p('channel')] || 'sms_then_email'}
                errors={errors}
                options={CHANNEL_OPTIONS}
              />
            </div>
            <StageTexts i={i} values={v} errors={errors} />
            <div class="controls">
              <button type="submit" name="intent" value={`up:${i}`} disabled={i === 0}>
                Move up
              </button>
              <button type="submit" name="intent" value={`down:${i}`} disabled={i === n - 1}>
                Move down
              </button>
              <button type="submit" name="intent" value={`remove:${i}`}>
                Remove stage {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="submit" name="intent" value="add">
        <Bi en="Add stage" km="បន្ថែមដំណាក់កាល" />
      </button>
    </fieldset>
  );
}
