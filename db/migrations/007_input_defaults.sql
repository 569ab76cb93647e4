-- Input as people and providers send it: where a supporter's time zone came from, the zone a new
-- supporter gets when nobody typed one, and whether Twilio's Advanced Opt-Out answers keywords itself.

alter table supporters
  -- 'given' (typed or sent by a partner), 'phone' (the country of the number has one zone),
  -- 'organization' (the organization's default zone). Rows from before this are 'given'.
  add column timezone_source text not null default 'given'
    check (timezone_source in ('given', 'phone', 'organization'));

alter table organizations
  -- null: the zone of default_region when that country has one, else UTC.
  add column default_timezone text,
  -- Twilio Advanced Opt-Out answers HELP (and confirms STOP/START) itself: we must not answer twice.
  add column twilio_advanced_opt_out boolean not null default false;
