-- Issue 18: deliveries, action events and inbound messages partitioned by month, on an existing
-- database. Old months can then be detached (`npm run partitions -- detach --before YYYY-MM`,
-- db/partitions.ts) and archived or dropped without a DELETE over millions of rows.
--
-- PostgreSQL requires the partition key in every primary key and unique index of a partitioned
-- table, so each table's month is a function of its logical key and adding it weakens nothing:
--   deliveries.month    = the month (UTC) its stage run was created: stage_runs.month. A delivery's
--                         key (stage run, supporter, channel) determines it, so
--                         unique (stage_run_id, supporter_id, channel, month) is exactly as strong as
--                         the unique (stage_run_id, supporter_id, channel) it replaces.
--   action_events.month = the month (UTC) its campaign was created: campaigns.month. The done-once
--                         index on (campaign_id, supporter_id, month) is as strong as before.
--   inbound_messages.month = the month it was received. Its dedupe (Twilio's MessageSid, once) moves
--                         to the unpartitioned inbound_message_ids, whose primary key is the provider
--                         id alone: a webhook retried across a month boundary is still caught.
-- deliveries.link_token keeps a non-unique index on every partition: new tokens are an HMAC of the
-- unique key (domain/link-token.ts), legacy tokens were unique in the table they are copied from and
-- are never minted again. deliveries.provider_id's index was never unique.
-- Every writer supplies the month (db/delivery-claims.ts, db/delivery-rows.ts, db/action-events.ts,
-- db/inbound.ts ...): it is NOT NULL, so a writer that forgets it fails instead of landing anywhere.

-- The months of the parents, fixed at creation (created_at never changes).
alter table stage_runs
  add column month date generated always as ((date_trunc('month', created_at at time zone 'UTC'))::date) stored;
alter table campaigns
  add column month date generated always as ((date_trunc('month', created_at at time zone 'UTC'))::date) stored;

-- The tables partitioned by month and what each new partition gets (storage parameters cannot be set
-- on a partitioned table itself). Read by ensure_month_partitions() and db/partitions.ts.
create table month_partitioned_tables (
  parent text primary key,
  partition_options text not null default ''
);
insert into month_partitioned_tables (parent, partition_options) values
  ('deliveries', 'with (fillfactor = 70)'),
  ('action_events', ''),
  ('inbound_messages', '');

-- Creates the monthly partitions <parent>_yYYYYmMM for every month from first_month to last_month
-- (inclusive; days ignored) of every table in month_partitioned_tables that lacks them, and returns
-- their names. Rows already in the DEFAULT partition for such a month are moved into the new one.
-- Idempotent; concurrent callers (workers starting together) are serialised by an advisory lock.
create function ensure_month_partitions(first_month date, last_month date) returns setof text
language plpgsql as $$
declare
  t record;
  m date;
  part text;
  bounds text;
begin
  perform pg_advisory_xact_lock(727017);
  for t in select parent, partition_options from month_partitioned_tables order by parent loop
    m := date_trunc('month', first_month)::date;
    while m <= last_month loop
      part := format('%s_y%sm%s', t.parent, to_char(m, 'YYYY'), to_char(m, 'MM'));
      bounds := format('for values from (%L) to (%L)', m, (m + interval '1 month')::date);
      if to_regclass(part) is null then
        if to_regclass(t.parent || '_default') is not null then
          -- Attaching validates that the default holds nothing of this month: move such rows first.
          execute format('create table %I (like %I including defaults including constraints) %s',
            part, t.parent, t.partition_options);
          execute format('with moved as (delete from %I where month >= %L and month < %L returning *)
            insert into %I select * from moved', t.parent || '_default', m, (m + interval '1 month')::date, part);
          execute format('alter table %I attach partition %I %s', t.parent, part, bounds);
        else
          execute format('create table %I partition of %I %s %s', part, t.parent, bounds, t.partition_options);
        end if;
        return next part;
      end if;
      m := (m + interval '1 month')::date;
    end loop;
  end loop;
end;
$$;

-- Gives the partitioned table the grants its predecessor had (none in this project's own setup;
-- an operator may have added some).
create function pg_temp.copy_grants(src regclass, dst regclass) returns void language plpgsql as $$
declare
  g record;
begin
  for g in
    select a.privilege_type,
      case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end as who
    from pg_class c, aclexplode(c.relacl) a
    where c.oid = src and a.grantee <> c.relowner
  loop
    execute format('grant %s on %s to %s', g.privilege_type, dst, g.who);
  end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- deliveries
create table deliveries_next (
  like deliveries including defaults including constraints including storage including comments,
  month date not null
) partition by range (month);
create table deliveries_default partition of deliveries_next default with (fillfactor = 70);

-- action_events
create table action_events_next (
  like action_events including defaults including constraints including storage including comments,
  month date not null
) partition by range (month);
create table action_events_default partition of action_events_next default;

-- inbound_messages
create table inbound_messages_next (
  like inbound_messages including defaults including constraints including storage including comments,
  month date not null default (date_trunc('month', now() at time zone 'UTC'))::date
) partition by range (month);
create table inbound_messages_default partition of inbound_messages_next default;

-- The registry names the final tables: point it at the new ones while they are filled.
update month_partitioned_tables set parent = parent || '_next';
select ensure_month_partitions(
  least(
    (select min(month) from stage_runs where id in (select distinct stage_run_id from deliveries)),
    (select min(month) from campaigns where id in (select distinct campaign_id from action_events)),
    (select (date_trunc('month', min(received_at) at time zone 'UTC'))::date from inbound_messages),
    (date_trunc('month', now() at time zone 'UTC'))::date
  ),
  (date_trunc('month', now() at time zone 'UTC') + interval '3 months')::date
);
update month_partitioned_tables set parent = left(parent, -length('_next'));

-- The partitions were named after the temporary parents: name them after the final tables.
do $$
declare
  p record;
begin
  for p in
    select c.relname from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class t on t.oid = i.inhparent
    where t.relname in ('deliveries_next', 'action_events_next', 'inbound_messages_next')
      and c.relname ~ '_next_y[0-9]{4}m[0-9]{2}$'
  loop
    execute format('alter table %I rename to %I', p.relname, replace(p.relname, '_next_y', '_y'));
  end loop;
end;
$$;

-- Rows, with their ids. A delivery's month is its stage run's; an action's its campaign's.
insert into deliveries_next
select d.*, r.month from deliveries d join stage_runs r on r.id = d.stage_run_id;
insert into action_events_next
select a.*, c.month from action_events a join campaigns c on c.id = a.campaign_id;
insert into inbound_messages_next
select m.*, (date_trunc('month', m.received_at at time zone 'UTC'))::date from inbound_messages m;

-- Inbound dedupe: a provider message id is recorded once, whatever month it arrives in.
create table inbound_message_ids (
  provider_id text primary key,
  month date not null,
  received_at timestamptz not null default now()
);
insert into inbound_message_ids (provider_id, month, received_at)
select provider_id, month, received_at from inbound_messages_next;

select pg_temp.copy_grants('deliveries', 'deliveries_next');
select pg_temp.copy_grants('action_events', 'action_events_next');
select pg_temp.copy_grants('inbound_messages', 'inbound_messages_next');

-- Swap: the sequences move to the new tables (ids go on increasing), the old tables go.
alter sequence deliveries_id_seq owned by none;
alter sequence action_events_id_seq owned by none;
alter sequence inbound_messages_id_seq owned by none;
drop table deliveries;
drop table action_events;
drop table inbound_messages;
alter table deliveries_next rename to deliveries;
alter table action_events_next rename to action_events;
alter table inbound_messages_next rename to inbound_messages;
alter sequence deliveries_id_seq owned by deliveries.id;
alter sequence action_events_id_seq owned by action_events.id;
alter sequence inbound_messages_id_seq owned by inbound_messages.id;

-- Keys and indexes of migrations 001, 002, 003 and 014, with the month where PostgreSQL requires it
-- (last, so lookups without a month still use them).
alter table deliveries
  add constraint deliveries_pkey primary key (id, month),
  add constraint deliveries_stage_run_id_supporter_id_channel_key unique (stage_run_id, supporter_id, channel, month),
  add foreign key (org_id) references organizations (id),
  add foreign key (stage_run_id) references stage_runs (id),
  add foreign key (supporter_id) references supporters (id);
create index deliveries_link_token on deliveries (link_token);
create index deliveries_provider on deliveries (provider_id) where provider_id is not null;
create index deliveries_deferred on deliveries (stage_run_id, defer_until) where defer_until is not null;
create index deliveries_supporter_recent on deliveries (supporter_id, created_at desc);
create index deliveries_created_at on deliveries (created_at);

alter table action_events
  add constraint action_events_pkey primary key (id, month),
  add foreign key (org_id) references organizations (id),
  add foreign key (campaign_id) references campaigns (id),
  add foreign key (supporter_id) references supporters (id),
  add foreign key (stage_run_id) references stage_runs (id);
create index action_events_campaign on action_events (campaign_id, supporter_id);
create unique index action_events_done_once on action_events (campaign_id, supporter_id, month) where kind = 'done';

alter table inbound_messages
  add constraint inbound_messages_pkey primary key (id, month),
  add foreign key (org_id) references organizations (id),
  add foreign key (supporter_id) references supporters (id);
create index inbound_messages_provider on inbound_messages (provider_id);
create index inbound_messages_supporter on inbound_messages (supporter_id, received_at desc)
  where supporter_id is not null;
