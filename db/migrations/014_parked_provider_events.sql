-- Provider events that name a message we have not recorded yet (a Resend webhook that outran the
-- worker's accepted write). Parked, not consumed: applied when the provider id is recorded
-- (db/resend-events.ts), or by the reconciliation Schedule, and dropped after a retention period
-- (events for mail that is no delivery: invitations, letters). No contact detail is kept here.
create table parked_provider_events (
  id bigserial primary key,
  source text not null check (source in ('resend')),
  provider_id text not null,
  event_type text not null,
  bounce_type text,
  event_at timestamptz,
  received_at timestamptz not null default now()
);
create index parked_provider_events_provider on parked_provider_events (source, provider_id);
create index parked_provider_events_received on parked_provider_events (received_at);

-- Reconciliation (db/stale-deliveries.ts) pages deliveries by creation time. created_at never
-- changes, so status updates stay heap-only (migration 003).
create index deliveries_created_at on deliveries (created_at);
