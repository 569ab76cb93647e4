-- Every status column admits only its vocabulary (domain/campaign-status.ts, domain/delivery-status.ts):
-- a typo in a query now fails loudly instead of writing a status nothing counts.
-- test/e2e/vocabulary-constraints.test.ts compares these lists with the domain's const arrays.
alter table campaigns add constraint campaigns_status_check
  check (status in ('scheduled', 'running', 'paused', 'completed', 'cancelled', 'closed'));
alter table stage_runs add constraint stage_runs_status_check
  check (status in ('pending', 'running', 'done', 'skipped', 'cancelled'));
alter table deliveries add constraint deliveries_status_check
  check (status in ('sending', 'deferred', 'accepted', 'sent', 'delivered', 'failed', 'undelivered', 'excluded'));

-- The audit log names who is behind every change (domain/actor.ts): a token, a partner, a person or
-- the system. actor_token_id stays for token actors (it references api_tokens).
alter table audit_log add column actor_type text, add column actor_id text;
update audit_log set actor_type = 'token', actor_id = actor_token_id::text where actor_token_id is not null;
update audit_log set actor_type = 'partner', actor_id = detail ->> 'partnerId'
  where actor_type is null and detail ->> 'partnerId' is not null;
update audit_log set actor_type = 'system', actor_id = 'campaign-workflow'
  where actor_type is null and action like 'escalation.%';
update audit_log set actor_type = 'system', actor_id = 'unknown' where actor_type is null;
alter table audit_log
  alter column actor_type set not null,
  alter column actor_id set not null,
  add constraint audit_log_actor_type_check check (actor_type in ('token', 'partner', 'system', 'person'));
