-- Initial schema. Every table that holds tenant data carries org_id; every query filters on it.

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  default_region text not null default 'US',
  quiet_start time not null default '09:00',
  quiet_end time not null default '20:00',
  help_text text not null default 'Urgent Action network. Reply STOP to opt out, START to opt back in.',
  keywords jsonb,
  created_at timestamptz not null default now()
);

create table partners (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  name text not null,
  -- The Standard Webhooks secret must be readable to verify HMACs; it never leaves the database.
  secret text not null,
  scopes text[] not null default '{case_alert}',
  created_at timestamptz not null default now()
);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  role text not null check (role in ('organizer', 'partner', 'admin')),
  partner_id uuid references partners (id),
  token_hash bytea not null unique,
  label text not null default '',
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz
);

create table supporters (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  name text,
  phone text,
  email text,
  locale text not null default 'en' check (locale in ('en', 'km')),
  timezone text not null default 'UTC',
  tags text[] not null default '{}',
  sms_consent boolean not null default false,
  email_consent boolean not null default false,
  sms_opted_out_at timestamptz,
  email_opted_out_at timestamptz,
  -- Permanent provider failures (invalid number, hard bounce) stop further sends on that channel.
  sms_suppressed_reason text,
  email_suppressed_reason text,
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index supporters_org_phone on supporters (org_id, phone) where phone is not null;
create unique index supporters_org_email on supporters (org_id, lower(email)) where email is not null;
create index supporters_org_tags on supporters using gin (tags);

create table campaigns (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  kind text not null,
  title text not null,
  status text not null default 'scheduled',
  definition jsonb not null,
  workflow_id text not null unique,
  idempotency_key text,
  partner_id uuid references partners (id),
  current_stage text,
  next_stage_at timestamptz,
  resolution text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, idempotency_key)
);
create index campaigns_org_created on campaigns (org_id, created_at desc, id desc);

create table stage_runs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  stage_key text not null,
  kind text not null default 'stage' check (kind in ('stage', 'case_update')),
  channel text not null,
  status text not null default 'pending',
  scheduled_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  audience jsonb,
  -- What this run sends: localized content, action, template variables. Copied at creation so edits
  -- to the campaign never change a stage that has started.
  content jsonb,
  snapshot_done boolean not null default false,
  targeted integer not null default 0,
  created_at timestamptz not null default now(),
  unique (campaign_id, stage_key)
);

-- The audience snapshot of one stage run; seq gives pages a stable cursor.
create table stage_recipients (
  stage_run_id uuid not null references stage_runs (id),
  seq integer not null,
  supporter_id uuid not null references supporters (id),
  primary key (stage_run_id, seq),
  unique (stage_run_id, supporter_id)
);

create table deliveries (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  stage_run_id uuid not null references stage_runs (id),
  supporter_id uuid not null references supporters (id),
  channel text not null check (channel in ('sms', 'email')),
  status text not null,
  provider_id text,
  encoding text,
  segments integer,
  error_code text,
  error_message text,
  defer_until timestamptz,
  -- Unguessable per-delivery token for /a/<token> and /u/<token>; deterministic so a resend renders the same body.
  link_token text not null unique,
  -- Email batches keep their composition across retries so the same Idempotency-Key covers the same emails.
  batch_key text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (stage_run_id, supporter_id, channel)
);
create index deliveries_provider on deliveries (provider_id) where provider_id is not null;
create index deliveries_deferred on deliveries (stage_run_id, defer_until) where status = 'deferred';

create table action_events (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  supporter_id uuid not null references supporters (id),
  stage_run_id uuid references stage_runs (id),
  kind text not null check (kind in ('click', 'done')),
  source text not null,
  created_at timestamptz not null default now()
);
create index action_events_campaign on action_events (campaign_id, supporter_id);

create table inbound_messages (
  id bigserial primary key,
  org_id uuid references organizations (id),
  supporter_id uuid references supporters (id),
  provider_id text not null unique,
  keyword text not null,
  body text,
  received_at timestamptz not null default now()
);

create table webhook_receipts (
  source text not null,
  external_id text not null,
  org_id uuid references organizations (id),
  status integer not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (source, external_id)
);

create table audit_log (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  actor_token_id uuid references api_tokens (id),
  action text not null,
  target text,
  detail jsonb,
  created_at timestamptz not null default now()
);
