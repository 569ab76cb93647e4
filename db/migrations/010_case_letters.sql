-- Urgent Action case sheets (issue 15): letters supporters send to the authorities through the
-- service, the replies the authorities send back, and each campaign's reply address.

-- A letter sent through the network is an action of kind 'letter' (one row per target letter);
-- the supporter's 'done' is recorded with it, so follow-ups to those who have not acted skip them.
alter table action_events drop constraint action_events_kind_check;
alter table action_events add constraint action_events_kind_check check (kind in ('click', 'done', 'letter'));

-- One letter per supporter per target per case. The row is written before the provider call
-- ('sending'); the provider id after it ('accepted'). The letter's text is not kept: it was the
-- supporter's, and went to the target.
create table letters (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  supporter_id uuid not null references supporters (id),
  stage_run_id uuid references stage_runs (id),
  target_key text not null,
  identity text not null check (identity in ('full', 'first_name_city', 'network')),
  status text not null default 'sending' check (status in ('sending', 'accepted', 'failed')),
  provider_id text,
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (campaign_id, supporter_id, target_key)
);
create index letters_campaign on letters (org_id, campaign_id, target_key);

-- Replies from targets: logged by an organizer, or received by email at the campaign's reply
-- address. `from_address` is the target's own address (never a supporter's).
create table target_responses (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  target_key text not null,
  target_name text not null,
  summary text not null,
  received_at timestamptz not null,
  source text not null check (source in ('organizer', 'email')),
  from_address text,
  external_id text unique,
  created_at timestamptz not null default now()
);
create index target_responses_campaign on target_responses (org_id, campaign_id, received_at);

-- The per-campaign Reply-To of letters: reply+<local_token>@<sending domain>.
create table campaign_reply_addresses (
  campaign_id uuid primary key references campaigns (id),
  org_id uuid not null references organizations (id),
  token text not null unique
);
