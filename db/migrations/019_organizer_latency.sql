-- Issue 18 (organizer-facing latency at 1,000,000 supporters).
-- Email search by "<local part>@<domain>" (db/supporter-search.ts): the whole address's trigrams
-- include the shared domain's, which nearly every row carries, so the GIN on email read a large part
-- of the organization. This one indexes the local part alone: "123@example.org" is found by the
-- local parts ending in "123", then the domain is checked on those few rows.
create index supporters_email_local_trgm on supporters
  using gin (split_part(lower(email), '@', 1) gin_trgm_ops) where email is not null;
-- The campaign page reads its escalations by target ("campaign:<id>"); without this it read the
-- whole audit log on every request.
create index audit_log_target on audit_log (target, created_at);
