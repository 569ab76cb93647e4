import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Organization } from './api-client';
import type { ConsoleContext, ConsoleEnv, FormValues } from './env';
import { formValues } from './env';
import { Checkbox, ErrorSummary, type FormErrors, noErrors, placeErrors, TextArea, TextField } from './form';
import { Bi, CsrfField } from './layout';
import { messagePage, page } from './render';

/** The automatic answers an organization words, and where each lives in PATCH /v1/organization. */
const ANSWERS = [
  { key: 'help', path: 'helpText', label: 'HELP answer', km: 'ចម្លើយជំនួយ' },
  {
    key: 'optOutConfirmation',
    path: 'autoReplies.confirmations.optOut',
    label: 'Opt-out confirmation',
    km: 'បញ្ជាក់ការឈប់',
  },
  {
    key: 'optInConfirmation',
    path: 'autoReplies.confirmations.optIn',
    label: 'Opt-in confirmation',
    km: 'បញ្ជាក់ការចាប់ផ្តើម',
  },
  { key: 'doneThankYou', path: 'autoReplies.doneThankYou.text', label: 'Thank-you for DONE', km: 'សារអរគុណ' },
] as const;

/** The email sender settings (PATCH /v1/organization `email`): form path, label, and the kind of box. */
const EMAIL_FIELDS = [
  {
    key: 'senderName',
    label: 'Sender name (the From of every email; empty: the organization name)',
    km: 'ឈ្មោះអ្នកផ្ញើ',
  },
  { key: 'replyTo', label: 'Reply-To address (a mailbox someone reads)', km: 'អាសយដ្ឋានឆ្លើយតប' },
  { key: 'logoUrl', label: 'Logo (an https image address, shown above the message)', km: 'រូបសញ្ញា' },
] as const;

export const SETTINGS_FIELDS = [
  'name',
  'helpContact',
  ...EMAIL_FIELDS.map((f) => `email.${f.key}`),
  'email.postalAddress',
  'autoReplies.confirmations.enabled',
  'autoReplies.doneThankYou.enabled',
  ...ANSWERS.flatMap((a) => [`${a.path}.en`, `${a.path}.km`]),
];

/** Form values as the settings page shows them: the organization's own texts, else the defaults. */
function valuesOf(o: Organization): FormValues {
  const v: FormValues = { name: o.name, helpContact: o.helpContact ?? '' };
  for (const f of [...EMAIL_FIELDS.map((e) => e.key), 'postalAddress'] as const)
    v[`email.${f}`] = o.email[f] ?? '';
  for (const a of ANSWERS)
    for (const l of ['en', 'km'] as const) v[`${a.path}.${l}`] = o.answers[a.key][l].text;
  if (o.autoReplies.confirmations?.enabled !== false) v['autoReplies.confirmations.enabled'] = 'on';
  if (o.autoReplies.doneThankYou?.enabled) v['autoReplies.doneThankYou.enabled'] = 'on';
  return v;
}

/**
 * The PATCH body the form describes. A text equal to the current default is sent as null, so the
 * organization keeps following the default (which names it) until someone really rewords it.
 */
function patchOf(v: FormValues, now: Organization) {
  const text = (key: (typeof ANSWERS)[number]['key'], path: string, l: 'en' | 'km') => {
    const t = (v[`${path}.${l}`] ?? '').trim();
    const current = now.answers[key][l];
    return t === '' || (!current.custom && t === current.text) ? null : t;
  };
  // Null returns a language to its default, so a cleared box or an unchanged default is never stored.
  const pair = (a: (typeof ANSWERS)[number]) => ({
    en: text(a.key, a.path, 'en'),
    km: text(a.key, a.path, 'km'),
  });
  return {
    name: v.name ?? '',
    helpContact: (v.helpContact ?? '').trim() === '' ? null : v.helpContact!.trim(),
    helpText: pair(ANSWERS[0]),
    // An emptied box clears the setting.
    email: Object.fromEntries(
      [...EMAIL_FIELDS.map((e) => e.key), 'postalAddress'].map((k) => {
        const t = (v[`email.${k}`] ?? '').trim();
        return [k, t === '' ? null : t];
      }),
    ),
    autoReplies: {
      confirmations: {
        enabled: v['autoReplies.confirmations.enabled'] === 'on',
        optOut: pair(ANSWERS[1]),
        optIn: pair(ANSWERS[2]),
      },
      doneThankYou: { enabled: v['autoReplies.doneThankYou.enabled'] === 'on', text: pair(ANSWERS[3]) },
    },
  };
}

function SettingsForm(props: { values: FormValues; errors: FormErrors; csrf: string; saved?: boolean }) {
  const { values: v, errors } = props;
  return (
    <form method="post" action="/console/settings" novalidate>
      <h1>
        <Bi en="Organization settings" km="ការកំណត់អង្គការ" />
      </h1>
      <p>
        <a href="/console/templates">Prewritten stage texts</a>: word the playbooks' texts your organization's
        way.
      </p>
      {props.saved ? (
        <p class="notice ok" role="status">
          Settings saved.
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <CsrfField csrf={props.csrf} />
      <TextField
        path="name"
        label="Organization name (named in every automatic answer)"
        value={v.name}
        errors={errors}
        required
      />
      <TextField
        path="helpContact"
        label="How supporters reach a person (email or phone, in the HELP answer)"
        value={v.helpContact}
        errors={errors}
      />
      <fieldset data-section="email">
        <legend>
          <Bi en="Email sender" km="អ្នកផ្ញើអ៊ីមែល" />
        </legend>
        <p class="hint">
          Supporters see these in every email: who it is from, where replies go, and the footer that says how
          to reach the network. An email without a postal address looks like phishing.
        </p>
        {EMAIL_FIELDS.map((f) => (
          <TextField
            path={`email.${f.key}`}
            label={<Bi en={f.label} km={f.km} />}
            type={f.key === 'logoUrl' ? 'url' : 'text'}
            value={v[`email.${f.key}`]}
            errors={errors}
          />
        ))}
        <TextArea
          path="email.postalAddress"
          label={<Bi en="Postal address (the email footer, up to 4 lines)" km="អាសយដ្ឋានប្រៃសណីយ៍" />}
          rows={4}
          value={v['email.postalAddress']}
          errors={errors}
        />
      </fieldset>
      <fieldset>
        <legend>Automatic SMS answers</legend>
        <p class="hint">
          Sent in the supporter's language (or the language of their reply when the number is unknown). Keep
          each to one segment: a Khmer segment holds 67–70 characters.
        </p>
        <Checkbox
          path="autoReplies.confirmations.enabled"
          label="Confirm opt-outs and opt-ins that the carrier does not confirm itself (ឈប់, ចាប់ផ្តើម, your own keywords)"
          checked={v['autoReplies.confirmations.enabled'] === 'on'}
          errors={errors}
        />
        <Checkbox
          path="autoReplies.doneThankYou.enabled"
          label="Thank supporters who reply DONE, once per campaign (costs a segment; a campaign can turn it off)"
          checked={v['autoReplies.doneThankYou.enabled'] === 'on'}
          errors={errors}
        />
        {ANSWERS.map((a) => (
          <div class="cols" data-answer={a.key}>
            {(['en', 'km'] as const).map((l) => (
              <TextArea
                path={`${a.path}.${l}`}
                label={<Bi en={`${a.label} (${l === 'en' ? 'English' : 'Khmer'})`} km={a.km} />}
                lang={l}
                rows={3}
                value={v[`${a.path}.${l}`]}
                errors={errors}
                sms
              />
            ))}
          </div>
        ))}
      </fieldset>
      <button type="submit" class="primary">
        <Bi en="Save settings" km="រក្សាទុក" />
      </button>
    </form>
  );
}

async function settingsPage(
  c: ConsoleContext,
  opts: { values?: FormValues; errors?: FormErrors; status?: ContentfulStatusCode; saved?: boolean } = {},
) {
  const org = await c.get('api').get<Organization>('/v1/organization');
  if (!org.ok) return messagePage(c, 502, 'Settings unavailable', org.problem.detail ?? org.problem.title);
  return page(
    c,
    { title: 'Settings', section: 'settings', status: opts.status },
    c.get('session').role === 'owner' ? (
      <SettingsForm
        values={opts.values ?? valuesOf(org.body)}
        errors={opts.errors ?? noErrors()}
        csrf={c.get('session').csrf}
        saved={opts.saved}
      />
    ) : (
      <>
        <h1>
          <Bi en="Organization settings" km="ការកំណត់អង្គការ" />
        </h1>
        <p>{org.body.name}</p>
        <p role="status">
          <Bi en="Only owners change these settings." km="មានតែម្ចាស់ទេដែលអាចផ្លាស់ប្តូរការកំណត់ទាំងនេះ។" />
        </p>
      </>
    ),
  );
}

/** /console/settings: the organization's name, help contact, email sender and automatic SMS answers. */
export function registerSettingsRoutes(app: Hono<ConsoleEnv>) {
  app.get('/settings', (c) => settingsPage(c, { saved: c.req.query('saved') === '1' }));
  app.post('/settings', async (c) => {
    const values = await formValues(c);
    const api = c.get('api');
    const now = await api.get<Organization>('/v1/organization');
    if (!now.ok) return messagePage(c, 502, 'Settings unavailable', now.problem.detail ?? now.problem.title);
    const res = await api.patch<Organization>('/v1/organization', patchOf(values, now.body));
    if (res.ok) return c.redirect('/console/settings?saved=1', 303);
    return settingsPage(c, {
      values,
      errors: placeErrors(res.problem, SETTINGS_FIELDS),
      status: res.status as ContentfulStatusCode,
    });
  });
}
