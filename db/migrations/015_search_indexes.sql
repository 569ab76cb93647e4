-- Issue 18: organizer reads that stay fast with a million supporters in one organization.
-- Substring search (name, email, phone digits) by trigram: ILIKE '%…%' and LIKE '%…%' use these GIN
-- indexes instead of reading every supporter of the organization. pg_trgm ships with PostgreSQL
-- (contrib) and is a trusted extension: the database owner may create it.
create extension if not exists pg_trgm;
create index supporters_name_trgm on supporters using gin (name gin_trgm_ops) where name is not null;
create index supporters_email_trgm on supporters using gin (email gin_trgm_ops) where email is not null;
create index supporters_phone_trgm on supporters using gin (phone gin_trgm_ops) where phone is not null;
-- The search's order (newest first, cursor on created_at, id): a common term or tag reads the
-- newest rows in order, keeps the organization's, and stops at the page size. Not led by org_id on
-- purpose: while an organization's statistics are stale (a fresh one importing its first thousands)
-- the planner estimated it at one row and read it whole through such an index for every phone/email
-- the import matched; with this one it keeps the (org_id, phone) and (org_id, lower(email)) indexes.
create index supporters_newest on supporters (created_at desc, id desc) where erased_at is null;

-- Live counts of large stages without scanning their deliveries on each request
-- (db/campaign-stats-cache.ts): the last computed answer per key, with when and how long it took.
create table aggregate_cache (
  key text primary key,
  value jsonb not null,
  computed_at timestamptz not null default now(),
  compute_ms integer not null default 0
);

-- A stage's audience is snapshotted in chunks as its pages need them (db/stage-snapshot.ts): the rule,
-- the last supporter id written and the seq numbers used so far. Runs snapshotted whole before this
-- migration have snapshot_done = true and never read these.
alter table stage_runs
  add column snapshot_rule jsonb,
  add column snapshot_after uuid,
  add column snapshot_seq integer not null default 0;
