import type { Sql } from './client';
import { advanceSmsDelivery } from './delivery-status';

/** One SMS status callback with nothing to do but move its delivery forward. */
export interface SmsAdvance {
  /** The delivery id from the signed callback URL, when it carries one. */
  deliveryId: string | undefined;
  providerId: string;
  status: 'sent' | 'delivered';
}

interface Waiting extends SmsAdvance {
  resolve(applied: boolean): void;
  reject(err: unknown): void;
}

const RANK = { sent: 1, delivered: 2 } as const;

/**
 * Status callbacks ('sent', 'delivered') that arrive together are written in one UPDATE … FROM
 * unnest(…) and one commit instead of one each: while a batch is being written the next ones queue,
 * so an idle server writes each callback at once and a busy one writes hundreds per statement.
 *
 * Each item keeps the rules of `advanceSmsDelivery` (db/delivery-status.ts): the row named by the
 * delivery id unless it carries another provider id, else the row with this provider id; the status
 * moves forward only; the provider id is recorded when missing. The answer to each callback waits for
 * its batch's commit (a failed batch fails every callback in it, and the provider retries them).
 * Two callbacks of one message in a batch are folded into the furthest status, which is what
 * applying them one after the other gives; two items that resolve to the same row are written one by
 * one after the batch, by `advanceSmsDelivery` itself.
 *
 * Planning: the API gives the batcher a pool with generic plans (AppDeps.statusSql). deliveries is
 * partitioned by month and these lookups by id cannot prune at plan time, so the custom plans
 * PostgreSQL otherwise keeps choosing re-planned every partition on every batch: about 4 ms of server
 * CPU per batch, twice the write itself (bench pg_top_statements planMs).
 *
 * Deadlocks: the batch locks its rows in id order with SKIP LOCKED, so it never waits while holding
 * locks and cannot be one side of a cycle with the workers' multi-row writes (the reason an earlier
 * attempt at grouping was left out, README "Benchmarks"); a row another transaction holds is written
 * after the batch by the one-row statement, which waits like an unbatched callback.
 */
export class SmsStatusBatcher {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    private readonly sql: Sql,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves with whether the delivery's row changed, once the write is committed. */
  advance(item: SmsAdvance): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.writing = false;
  }

  private async write(batch: Waiting[]): Promise<void> {
    // One entry per provider id, with its furthest status (callbacks of one message).
    const byProvider = new Map<string, { item: SmsAdvance; waiting: Waiting[] }>();
    for (const w of batch) {
      const seen = byProvider.get(w.providerId);
      if (!seen) byProvider.set(w.providerId, { item: w, waiting: [w] });
      else {
        seen.waiting.push(w);
        if (RANK[w.status] > RANK[seen.item.status]) seen.item = { ...w };
        if (seen.item.deliveryId === undefined && w.deliveryId !== undefined)
          seen.item = { ...seen.item, deliveryId: w.deliveryId };
      }
    }
    const entries = [...byProvider.values()];
    const rows = await this.sql<{ provider_id: string; outcome: 'applied' | 'unchanged' | 'alone' }[]>`
      with input as (
        select * from unnest(${entries.map((e) => e.item.deliveryId ?? null)}::bigint[],
          ${entries.map((e) => e.item.providerId)}::text[], ${entries.map((e) => e.item.status)}::text[])
          as t(delivery_id, provider_id, status)
      ), target as (
        select i.provider_id, i.status, coalesce(
            (select d.id from deliveries d where d.id = i.delivery_id and d.channel = 'sms'
              and (d.provider_id is null or d.provider_id = i.provider_id)),
            (select d.id from deliveries d where d.provider_id = i.provider_id and d.channel = 'sms'
              order by d.id desc limit 1)) as id
        from input i
      ), counted as (
        select id, provider_id, status, count(*) over (partition by id) as sharing from target where id is not null
      ), locked as (
        -- Rows a worker's page write holds are skipped, never waited for: this statement waits for
        -- nobody while it holds locks, so it cannot close a deadlock cycle with multi-row writers.
        select d.id from deliveries d where d.id in (select id from counted where sharing = 1)
        order by d.id for update skip locked
      ), updated as (
        update deliveries d set
          status = case when d.status = any(case when u.status = 'sent' then array['sending', 'accepted']
              else array['sending', 'accepted', 'sent'] end) then u.status else d.status end,
          provider_id = coalesce(d.provider_id, u.provider_id),
          updated_at = now()
        from counted u
        where d.id = u.id and u.sharing = 1 and d.id in (select id from locked)
          and (d.provider_id is null or d.provider_id = u.provider_id)
          and (d.status = any(case when u.status = 'sent' then array['sending', 'accepted']
              else array['sending', 'accepted', 'sent'] end) or d.provider_id is null)
        returning u.provider_id
      )
      select c.provider_id,
        case when c.provider_id in (select provider_id from updated) then 'applied'
          when c.sharing = 1 and c.id in (select id from locked) then 'unchanged'
          else 'alone' end as outcome
      from counted c`;
    const applied = new Set<string>();
    const alone: string[] = [];
    for (const r of rows) {
      if (r.outcome === 'applied') applied.add(r.provider_id);
      else if (r.outcome === 'alone') alone.push(r.provider_id);
    }
    // Rows two provider ids resolved to (a resend after a lost answer), and rows another writer held:
    // one statement per callback, as without batching (a one-row write cannot close a deadlock cycle).
    for (const providerId of alone) {
      const e = byProvider.get(providerId)!;
      if (await advanceSmsDelivery(this.sql, e.item.deliveryId, providerId, e.item.status))
        applied.add(providerId);
    }
    for (const e of entries) {
      const ok = applied.has(e.item.providerId);
      for (const w of e.waiting) w.resolve(ok);
    }
  }
}
