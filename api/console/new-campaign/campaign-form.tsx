import type { Preview } from '../api-client';
import type { FormValues } from '../env';
import { Checkbox, type FormErrors, SelectField, TextArea, TextField } from '../form';
import { Bi, CsrfField } from '../layout';
import { CaseSheetFields } from './case-sheet-form';
import { PLAYBOOK_PARAMS, type PlaybookKind } from './playbook-form';
import { PreviewPanel } from './preview-panel';
import { StageBuilder } from './stage-builder';
import { StageList } from './stage-list';
import type { OutlineStage } from './stage-outline';

/**
 * One playbook's form (title, parameters, case sheet, every stage with its texts in both languages,
 * or the stage builder for custom campaigns, action, audience, timing),
 * posted to /console/campaigns/new?kind=…; once previewed it carries the preview's digest.
 */
export function CampaignForm(props: {
  kind: PlaybookKind;
  values: FormValues;
  errors: FormErrors;
  csrf: string;
  idempotencyKey: string;
  previewed?: { digest: string; preview: Preview };
  /** The playbook's stages with their template texts (not for custom, whose stages are the builder's rows). */
  outline?: OutlineStage[];
}) {
  const { kind, values: v, errors } = props;
  const playbook = PLAYBOOK_PARAMS[kind];
  return (
    <form method="post" action={`/console/campaigns/new?kind=${kind}`} novalidate>
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="_idempotencyKey" value={props.idempotencyKey} />
      {props.previewed ? <input type="hidden" name="_previewed" value={props.previewed.digest} /> : null}
      <TextField
        path="title"
        label={<Bi en="Title" km="ចំណងជើង" />}
        hint={kind === 'case_alert' ? 'Empty: the UA number and the person’s name.' : undefined}
        value={v.title}
        errors={errors}
        required={kind !== 'case_alert'}
      />
      <fieldset>
        <legend>{kind === 'custom' ? 'Anchor date' : 'Playbook parameters'}</legend>
        <p class="hint">{playbook.summary}</p>
        {playbook.params.map((p) => (
          <TextField
            path={p.path}
            type={p.type === 'tags' ? 'text' : p.type}
            label={p.km ? <Bi en={p.label} km={p.km} /> : p.label}
            hint={p.hint}
            value={v[p.path]}
            errors={errors}
            required={p.required}
          />
        ))}
      </fieldset>
      {kind === 'case_alert' ? <CaseSheetFields values={v} errors={errors} /> : null}
      {kind === 'custom' ? (
        <StageBuilder values={v} errors={errors} />
      ) : (
        <StageList
          outline={props.outline ?? []}
          values={v}
          errors={errors}
          weeklyTargets={kind === 'sanctions_lobbying'}
        />
      )}
      <fieldset>
        <legend>
          <Bi en="Action" km="សកម្មភាព" />
          {playbook.actionRequired ? ' (required)' : ''}
        </legend>
        <TextField
          path="action.url"
          type="url"
          label="Action page URL"
          value={v['action.url']}
          errors={errors}
        />
        <TextArea
          path="action.targets"
          label="Targets"
          hint={
            kind === 'case_alert'
              ? 'One per line: Name | Title | email (or fill the case sheet table above, which adds salutation, language and address)'
              : 'One per line: Name | Title | email'
          }
          value={v['action.targets']}
          errors={errors}
        />
      </fieldset>
      <fieldset>
        <legend>Audience and timing</legend>
        <TextField
          path="audience.tags.include"
          label="Only supporters tagged"
          hint="Comma-separated; empty means everyone."
          value={v['audience.tags.include']}
          errors={errors}
        />
        <TextField
          path="audience.tags.exclude"
          label="Leave out supporters tagged"
          value={v['audience.tags.exclude']}
          errors={errors}
        />
        <TextField
          path="launchAt"
          type="datetime-local"
          label="Launch at (UTC)"
          hint="Empty: now."
          value={v.launchAt}
          errors={errors}
        />
        <Checkbox
          path="options.quietHours"
          label="Respect quiet hours (SMS only 09:00–20:00 in each supporter's time zone)"
          checked={v['options.quietHours'] === 'on'}
          errors={errors}
        />
        <SelectField
          path="options.doneThankYou"
          label="Thank supporters who reply DONE (once each; costs a segment)"
          value={v['options.doneThankYou'] ?? ''}
          errors={errors}
          options={[
            { value: '', label: "As the organization's settings say" },
            { value: 'yes', label: 'Yes, for this campaign' },
            { value: 'no', label: 'No, not for this campaign' },
          ]}
        />
      </fieldset>
      {props.previewed ? <PreviewPanel preview={props.previewed.preview} /> : null}
      <div class="controls">
        <button type="submit" name="intent" value="preview">
          <Bi en={props.previewed ? 'Preview again' : 'Preview'} km="មើលជាមុន" />
        </button>
        {props.previewed ? (
          <button type="submit" name="intent" value="launch" class="primary">
            <Bi en="Launch campaign" km="ចាប់ផ្ដើម" />
          </button>
        ) : null}
      </div>
    </form>
  );
}
