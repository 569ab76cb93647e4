import type { Sql } from '../../db/client';

export interface PgSizes {
  databaseMb: number;
  /** Tables with their indexes and TOAST (partitions summed when the table is partitioned). */
  supportersMb: number;
  deliveriesMb: number;
  stageRecipientsMb: number;
  deliveryRows: number;
}

/** On-disk sizes now, in MiB. */
export async function pgSizes(sql: Sql): Promise<PgSizes> {
  const mb = (bytes: string | number) => Number(bytes) / 1024 / 1024;
  const [row] = await sql<{ db: string; sup: string; del: string; rec: string; n: string }[]>`
    select pg_database_size(current_database()) as db,
      (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
        where c.oid = 'supporters'::regclass) as sup,
      coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree('deliveries')),
        pg_total_relation_size('deliveries')) as del,
      coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree('stage_recipients')),
        pg_total_relation_size('stage_recipients')) as rec,
      (select count(*) from deliveries) as n`;
  return {
    databaseMb: mb(row!.db),
    supportersMb: mb(row!.sup),
    deliveriesMb: mb(row!.del),
    stageRecipientsMb: mb(row!.rec),
    deliveryRows: Number(row!.n),
  };
}
