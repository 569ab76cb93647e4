-- Inbound webhooks and supporter links.

-- An inbound SMS carries only the sender's phone: STOP/START/HELP/DONE look supporters up by phone
-- across organizations (a phone may belong to supporters of several organizations).
create index supporters_phone on supporters (phone) where phone is not null;

-- "The most recent SMS to this phone" (HELP's organization, DONE's campaign).
create index deliveries_supporter_recent on deliveries (supporter_id, created_at desc);

-- A supporter acts once per campaign: a second DONE (link or SMS) records nothing new.
create unique index action_events_done_once on action_events (campaign_id, supporter_id) where kind = 'done';
