-- The provider's send rate, shared by every delivery worker process (activities/shared-rate.ts):
-- one row per provider account (`twilio:<account sid>`, `resend:<key fingerprint>`; never a phone
-- number or a secret) holding the next send time nobody has leased yet. Processes lease a few
-- consecutive slots at a time with one statement (db/send-rate.ts), measured by the database's clock.
-- `holder` is the process (a random id) that leased last; `shared_until` stays ahead of now while
-- leases of different processes interleave, so a process alone on the account knows it is.
-- Not organization data: every organization's campaigns go out through the same provider account.
create table provider_send_rate (
  key text primary key check (key ~ '^[a-z]+:[A-Za-z0-9_-]{1,64}$'),
  next_at timestamptz not null,
  holder text not null default '' check (length(holder) <= 64),
  shared_until timestamptz not null default '-infinity'
);
