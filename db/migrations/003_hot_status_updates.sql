-- Status callbacks update a delivery twice after it is accepted ('sent', 'delivered'). An index whose
-- predicate names `status` made every such update write a new entry in each of the table's indexes;
-- keyed on defer_until instead (set only by quiet-hours deferrals), status changes touch no indexed
-- column and can be heap-only (HOT) updates, for which pages keep some room free.
drop index deliveries_deferred;
create index deliveries_deferred on deliveries (stage_run_id, defer_until) where defer_until is not null;
alter table deliveries set (fillfactor = 70);
