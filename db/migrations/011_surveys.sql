-- Monitoring surveys (DESIGN.md section 11). Answers belong to a pseudonymous respondent, never
-- beside a phone, email or name: survey_respondents is the only link to a supporter, and erasure
-- sets it to null (the respondent id is random, so nothing leads back).

create table survey_respondents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  supporter_id uuid references supporters (id),
  created_at timestamptz not null default now(),
  unique (campaign_id, supporter_id)
);
create index survey_respondents_supporter on survey_respondents (supporter_id) where supporter_id is not null;

-- One conversation per respondent per round; at most one is open per supporter (the newest wins).
create table survey_sessions (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  respondent_id uuid not null references survey_respondents (id),
  round integer not null,
  status text not null check (status in ('open', 'completed', 'incomplete', 'stopped', 'superseded')),
  question_key text not null,
  -- When the current question went out; its timeout runs from here. due_at is null while a send is pending.
  asked_at timestamptz not null,
  due_at timestamptz,
  reasked boolean not null default false,
  reminded boolean not null default false,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (respondent_id, round)
);
create index survey_sessions_due on survey_sessions (campaign_id, due_at) where status = 'open';
create index survey_sessions_respondent_open on survey_sessions (respondent_id) where status = 'open';

create table survey_answers (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  respondent_id uuid not null references survey_respondents (id),
  session_id bigint not null references survey_sessions (id),
  round integer not null,
  question_key text not null,
  answer_type text not null check (answer_type in ('choice', 'yes_no', 'number', 'text')),
  choice text,
  number_value double precision,
  text_value text,
  answered_at timestamptz not null default now(),
  -- Free-text reports are reviewed before they count in published results.
  review_status text check (review_status in ('pending', 'verified', 'rejected')),
  review_note text,
  reviewed_by text,
  reviewed_at timestamptz,
  unique (session_id, question_key)
);
create index survey_answers_campaign on survey_answers (campaign_id, question_key);
create index survey_answers_review on survey_answers (org_id, review_status, id) where review_status is not null;

-- Questions, re-asks, reminders and thanks that follow a reply or a timeout; written in the same
-- transaction as the reply, sent by the survey workflow's activity (due_at honours quiet hours).
create table survey_sends (
  id bigserial primary key,
  org_id uuid not null references organizations (id),
  campaign_id uuid not null references campaigns (id),
  session_id bigint not null references survey_sessions (id),
  question_key text not null,
  kind text not null check (kind in ('question', 'reask', 'reminder', 'thanks')),
  due_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  claimed_at timestamptz,
  provider_id text,
  segments integer,
  error_code text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (session_id, question_key, kind)
);
create index survey_sends_due on survey_sends (campaign_id, due_at) where status in ('pending', 'sending');

-- One wake-up per burst of replies: the webhook signals the survey workflow only when it sets
-- nudged_at from null; each tick clears it before it claims sends (db/survey-sends.ts).
create table survey_wakeups (
  campaign_id uuid primary key references campaigns (id),
  org_id uuid not null references organizations (id),
  nudged_at timestamptz
);
