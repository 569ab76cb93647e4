-- Automatic answers to inbound SMS in the supporter's language: HELP, confirmations of opt-outs and
-- opt-ins the carrier does not confirm itself, and an optional thank-you for DONE.

-- help_text stays the English HELP answer; null now means "the default, naming the organization".
alter table organizations alter column help_text drop not null, alter column help_text drop default;
update organizations set help_text = null
  where help_text = 'Urgent Action network. Reply STOP to opt out, START to opt back in.';
alter table organizations
  add column help_text_km text,
  -- How supporters reach a person (an email address or phone), named in the default HELP answers.
  add column help_contact text,
  -- { "confirmations": { "enabled", "optOut": { en, km }, "optIn": { en, km } },
  --   "doneThankYou": { "enabled", "text": { en, km } } }; absent parts take the defaults.
  add column auto_replies jsonb not null default '{}';

-- Every automatic answer, like a sent message: counted, shown in the supporter's history, and
-- written once per inbound message (a redelivered webhook finds its row and answers nothing).
create table auto_replies (
  id bigserial primary key,
  org_id uuid references organizations (id),
  supporter_id uuid references supporters (id),
  campaign_id uuid references campaigns (id),
  inbound_provider_id text not null unique,
  kind text not null check (kind in ('help', 'opt_out_confirmation', 'opt_in_confirmation', 'done_thank_you')),
  locale text not null check (locale in ('en', 'km')),
  body text not null,
  segments int not null,
  -- The suppression list's keyed hash of the number (never the number): one confirmation a day per number.
  contact_key text check (contact_key ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now()
);
create index auto_replies_contact on auto_replies (contact_key, created_at) where contact_key is not null;
create index auto_replies_supporter on auto_replies (supporter_id, created_at) where supporter_id is not null;
-- One thank-you per supporter per campaign.
create unique index auto_replies_done_once on auto_replies (campaign_id, supporter_id) where kind = 'done_thank_you';
