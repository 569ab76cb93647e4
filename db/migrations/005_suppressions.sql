-- The suppression list: opt-outs that belong to a phone number or email address, not to a supporter
-- record. They are remembered before the supporter exists, across imports and after erasure.
--
-- contact_key is HMAC-SHA256(SUPPRESSION_KEY, channel ":" normalised contact) in hex: without the key
-- a row cannot be tested against a guessed number, and no other detail of the person is kept.
-- scope is who shares the entry: the Twilio sender (messaging service SID or number) for SMS, the
-- sending domain for email. There is no org_id on purpose: every organization on the sender shares it.
create table suppressions (
  channel text not null check (channel in ('sms', 'email')),
  scope text not null,
  contact_key text not null check (contact_key ~ '^[0-9a-f]{64}$'),
  source text not null,
  created_at timestamptz not null default now(),
  primary key (channel, scope, contact_key)
);

-- Opt-outs recorded on supporter rows before this list existed are copied into it by the API at start
-- (the key is needed, so SQL cannot do it); this marks a (channel, scope) as done.
create table suppression_backfills (
  channel text not null,
  scope text not null,
  done_at timestamptz not null default now(),
  primary key (channel, scope)
);

-- An email opt-out applies to every organization's supporters with that address (phones have
-- supporters_phone from 002).
create index supporters_email_any_org on supporters (lower(email)) where email is not null;
