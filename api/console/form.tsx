import type { Child } from 'hono/jsx';
import type { FieldError } from '../errors/problem';
import type { Problem } from './api-client';
import { segmentText } from './segment-counter';

/** The element id of the input for an API field path such as `content.km.sms`. */
export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

export interface FormErrors {
  /** Messages shown next to each field, by field path. */
  byField: Map<string, string[]>;
  /** Every error, with the field it was placed on (if any), for the summary. */
  all: Array<FieldError & { field?: string }>;
  detail?: string;
}

export const noErrors = (): FormErrors => ({ byField: new Map(), all: [] });

/**
 * Places each problem+json `errors[].path` on a field of the form: the field with that path, else the
 * first field under it (`content.en` → `content.en.sms`), else the closest field above it
 * (`action.targets.0.email` → `action.targets`); anything else goes to the summary only. `prefix` names
 * the form when a page holds several (`update` → `update.content.km.sms`).
 */
export function placeErrors(problem: Problem | undefined, fields: string[], prefix?: string): FormErrors {
  const out = noErrors();
  if (!problem) return out;
  out.detail = problem.errors.length === 0 ? (problem.detail ?? problem.title) : undefined;
  for (const e of problem.errors) {
    const path = prefix ? `${prefix}.${e.path}` : e.path;
    const field =
      fields.find((f) => f === path) ??
      fields.find((f) => f.startsWith(`${path}.`)) ??
      fields.filter((f) => path.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0];
    const message = field && field !== path ? `${e.path}: ${e.message}` : e.message;
    if (field) out.byField.set(field, [...(out.byField.get(field) ?? []), message]);
    out.all.push({ ...e, field });
  }
  return out;
}

export function ErrorSummary(props: { errors: FormErrors }) {
  const { all, detail } = props.errors;
  if (all.length === 0 && !detail) return null;
  return (
    <div class="summary" role="alert" tabindex={-1} id="error-summary">
      <h2>There is a problem</h2>
      {detail ? <p>{detail}</p> : null}
      {all.length > 0 ? (
        <ul>
          {all.map((e) => (
            <li>
              {e.field ? (
                <a href={`#${fieldId(e.field)}`}>{`${e.path}: ${e.message}`}</a>
              ) : (
                `${e.path}: ${e.message}`
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface FieldProps {
  path: string;
  label: Child;
  value?: string;
  hint?: string;
  errors: FormErrors;
  lang?: 'en' | 'km';
  required?: boolean;
}

function FieldShell(props: FieldProps & { children: Child; after?: Child }) {
  const id = fieldId(props.path);
  const messages = props.errors.byField.get(props.path) ?? [];
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {messages.map((m, i) => (
        <p class="error" id={`${id}-error-${i}`} data-error-for={props.path}>
          <span class="visually-hidden">Error: </span>
          {m}
        </p>
      ))}
      {props.children}
      {props.after}
    </div>
  );
}

function describedBy(props: FieldProps, extra?: string): string | undefined {
  const id = fieldId(props.path);
  const ids = [
    props.hint ? `${id}-hint` : undefined,
    ...(props.errors.byField.get(props.path) ?? []).map((_, i) => `${id}-error-${i}`),
    extra,
  ].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

const invalid = (props: FieldProps) => (props.errors.byField.has(props.path) ? 'true' : undefined);

export function TextField(
  props: FieldProps & { type?: 'text' | 'url' | 'number' | 'password' | 'datetime-local' | 'search' },
) {
  return (
    <FieldShell {...props}>
      <input
        type={props.type ?? 'text'}
        id={fieldId(props.path)}
        name={props.path}
        value={props.value ?? ''}
        lang={props.lang}
        required={props.required}
        aria-invalid={invalid(props)}
        aria-describedby={describedBy(props)}
        autocomplete="off"
      />
    </FieldShell>
  );
}

/** A textarea; with `sms`, a live GSM-7 / UCS-2 segment counter under it. */
export function TextArea(props: FieldProps & { sms?: boolean; rows?: number }) {
  const id = fieldId(props.path);
  const counterId = `${id}-segments`;
  return (
    <FieldShell
      {...props}
      after={
        props.sms ? (
          <output class="segments" id={counterId} for={id} aria-live="polite">
            {segmentText(props.value ?? '')}
          </output>
        ) : null
      }
    >
      <textarea
        id={id}
        name={props.path}
        rows={props.rows ?? 3}
        lang={props.lang}
        required={props.required}
        aria-invalid={invalid(props)}
        aria-describedby={describedBy(props, props.sms ? counterId : undefined)}
        data-sms-counter={props.sms ? counterId : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

export function SelectField(props: FieldProps & { options: Array<{ value: string; label: string }> }) {
  return (
    <FieldShell {...props}>
      <select
        id={fieldId(props.path)}
        name={props.path}
        aria-invalid={invalid(props)}
        aria-describedby={describedBy(props)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function Checkbox(props: { path: string; label: Child; checked: boolean; errors: FormErrors }) {
  const id = fieldId(props.path);
  const messages = props.errors.byField.get(props.path) ?? [];
  return (
    <div class="field check">
      {messages.map((m) => (
        <p class="error" data-error-for={props.path}>
          {m}
        </p>
      ))}
      <input type="checkbox" id={id} name={props.path} value="on" checked={props.checked} />{' '}
      <label for={id}>{props.label}</label>
    </div>
  );
}
