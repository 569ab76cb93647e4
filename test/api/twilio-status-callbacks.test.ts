import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { payloadKeys, publicBaseUrl } from '../../core/runtime';
import { createDeliveredSupporter, twilioRequest } from '../support/fixtures';
import { twilioSid } from '../support/generators';
import { type Service, startService } from '../support/service';

// The status callback as the SMS worker asks for it (?d=<delivery id>), on an API whose pool counts
// the statements it sends, against real PostgreSQL.

const STATUS = '/v1/webhooks/twilio/status';

let svc: Service;
let counted: postgres.Sql;
let app: ReturnType<typeof createApp>;
let statements: string[] = [];

beforeAll(async () => {
  svc = await startService({ roles: [] });
  counted = postgres(svc.config.DATABASE_URL!, {
    // One connection, opened before the first callback: its setup queries are not counted.
    max: 1,
    onnotice: () => {},
    debug: (_connection, query) => {
      statements.push(query);
    },
  });
  app = createApp({
    sql: counted,
    temporal: svc.temporal,
    config: svc.config,
    log: createLogger({ level: 'silent', name: 'test' }),
    keys: payloadKeys(svc.config),
    publicBaseUrl: publicBaseUrl(svc.config),
  });
  await counted`select 1`;
});
afterAll(async () => {
  await counted?.end({ timeout: 5 });
  await svc?.stop();
});

/** Posts a signed callback, expects 204, and returns the statements the API sent for it. */
async function callback(sid: string, status: string, opts: { d?: string; errorCode?: string } = {}) {
  const path = opts.d === undefined ? STATUS : `${STATUS}?d=${opts.d}`;
  const params: Record<string, string> = { MessageSid: sid, MessageStatus: status };
  if (opts.errorCode) params.ErrorCode = opts.errorCode;
  statements = [];
  const res = await app.request(
    path,
    twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${path}`, params),
  );
  expect(res.status, await res.text()).toBe(204);
  return statements.map((q) => q.replace(/\s+/g, ' ').trim());
}

interface Row {
  status: string;
  provider_id: string | null;
  error_code: string | null;
  updated_at: Date;
  // The row version: it changes on any write, even one that leaves every column as it was.
  xmin: string;
}

async function row(id: string): Promise<Row> {
  const [r] = await svc.sql<Row[]>`
    select status, provider_id, error_code, updated_at, xmin::text from deliveries where id = ${id}`;
  return r!;
}

/** An SMS delivery as the worker leaves it before its accepted write: 'sending', no provider id. */
async function beforeAcceptedWrite() {
  const f = await createDeliveredSupporter(svc.sql);
  await svc.sql`update deliveries set status = 'sending', provider_id = null where id = ${f.sms.id}`;
  return f;
}

describe('twilio status callbacks: sent and delivered', () => {
  it('adopt the row named by d when the callback outruns the accepted write, and move it forward', async () => {
    const f = await beforeAcceptedWrite();
    const sid = twilioSid();
    const sent = await callback(sid, 'sent', { d: f.sms.id });
    expect(sent, 'statements for one callback').toHaveLength(1);
    // One statement: the batch's UPDATE … FROM unnest(…), here with one callback in it.
    expect(sent[0]).toMatch(/ update deliveries d set /);
    expect(await row(f.sms.id)).toMatchObject({ status: 'sent', provider_id: sid });
    expect(await callback(sid, 'delivered', { d: f.sms.id })).toHaveLength(1);
    expect(await row(f.sms.id)).toMatchObject({ status: 'delivered', provider_id: sid, error_code: null });
    expect((await row(f.email.id)).status, 'the email of the same run is untouched').toBe('accepted');
  });

  it('take "delivered" before "sent", and the late "sent" changes nothing', async () => {
    const f = await beforeAcceptedWrite();
    const sid = twilioSid();
    await callback(sid, 'delivered', { d: f.sms.id });
    const delivered = await row(f.sms.id);
    expect(delivered).toMatchObject({ status: 'delivered', provider_id: sid });
    await callback(sid, 'sent', { d: f.sms.id });
    await callback(sid, 'sent');
    expect(await row(f.sms.id)).toEqual(delivered);
  });

  it('change nothing when redelivered', async () => {
    const f = await beforeAcceptedWrite();
    const sid = twilioSid();
    await callback(sid, 'sent', { d: f.sms.id });
    const sent = await row(f.sms.id);
    await callback(sid, 'sent', { d: f.sms.id });
    await callback(sid, 'sent');
    expect(await row(f.sms.id)).toEqual(sent);
    await callback(sid, 'delivered', { d: f.sms.id });
    const delivered = await row(f.sms.id);
    expect(delivered.status).toBe('delivered');
    await callback(sid, 'delivered', { d: f.sms.id });
    expect(await row(f.sms.id)).toEqual(delivered);
  });

  it('find the row by provider id without d', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const before = await row(f.sms.id);
    expect(await callback(f.sms.providerId, 'sent'), 'statements for one callback').toHaveLength(1);
    const sent = await row(f.sms.id);
    expect(sent).toMatchObject({ status: 'sent', provider_id: f.sms.providerId });
    expect(sent.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
    expect(sent.xmin).not.toBe(before.xmin);
    await callback(f.sms.providerId, 'delivered');
    expect((await row(f.sms.id)).status).toBe('delivered');
  });

  it('leave a row named by d alone when it has another provider id, and fall back to the provider id', async () => {
    const named = await createDeliveredSupporter(svc.sql);
    const untouched = await row(named.sms.id);
    // Nobody has this provider id: ignored.
    expect(await callback(twilioSid(), 'delivered', { d: named.sms.id })).toHaveLength(1);
    expect(await row(named.sms.id)).toEqual(untouched);
    // Another row has it: that row moves, the one named by d does not.
    const owner = await createDeliveredSupporter(svc.sql);
    await callback(owner.sms.providerId, 'delivered', { d: named.sms.id });
    expect(await row(owner.sms.id)).toMatchObject({ status: 'delivered', provider_id: owner.sms.providerId });
    expect(await row(named.sms.id)).toEqual(untouched);
  });

  it('leave an email row named by d alone', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await svc.sql`update deliveries set provider_id = null where id = ${f.email.id}`;
    const email = await row(f.email.id);
    await callback(twilioSid(), 'delivered', { d: f.email.id });
    expect(await row(f.email.id)).toEqual(email);
  });

  it('record the provider id on a row that can no longer move, as before, without moving it', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await svc.sql`update deliveries set status = 'failed', error_code = '500', provider_id = null
      where id = ${f.sms.id}`;
    const sid = twilioSid();
    await callback(sid, 'delivered', { d: f.sms.id });
    expect(await row(f.sms.id)).toMatchObject({ status: 'failed', error_code: '500', provider_id: sid });
  });

  it('ignore an unknown provider id', async () => {
    expect(await callback(twilioSid(), 'sent')).toHaveLength(1);
    expect(await callback(twilioSid(), 'delivered', { d: '999999999999' })).toHaveLength(1);
  });
});

describe('twilio status callbacks: failed and undelivered keep their transaction', () => {
  it('adopt the row named by d, fail it and opt the phone out on 21610', async () => {
    const f = await beforeAcceptedWrite();
    const sid = twilioSid();
    const sent = await callback(sid, 'failed', { d: f.sms.id, errorCode: '21610' });
    expect(sent.length, 'lookup, adopt, and a transaction').toBeGreaterThan(3);
    expect(sent.map((q) => q.toLowerCase())).toContain('begin');
    expect(await row(f.sms.id)).toMatchObject({ status: 'failed', error_code: '21610', provider_id: sid });
    const [s] = await svc.sql`select sms_opted_out_at from supporters where id = ${f.supporterId}`;
    expect(s!.sms_opted_out_at).not.toBeNull();
  });

  it('do not fail a delivered row, and still suppress a dead number', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    await callback(f.sms.providerId, 'delivered');
    await callback(f.sms.providerId, 'undelivered', { errorCode: '30005' });
    expect(await row(f.sms.id)).toMatchObject({ status: 'delivered', error_code: null });
    const [s] = await svc.sql`select sms_suppressed_reason from supporters where id = ${f.supporterId}`;
    expect(s!.sms_suppressed_reason).toBe('30005');
  });
});

describe('twilio status callbacks arriving together (db/sms-status-batch.ts)', () => {
  const post = (sid: string, status: string, d: string) => {
    const path = `${STATUS}?d=${d}`;
    return app.request(
      path,
      twilioRequest(svc.config.TWILIO_AUTH_TOKEN!, `${publicBaseUrl(svc.config)}${path}`, {
        MessageSid: sid,
        MessageStatus: status,
      }),
    );
  };

  it('are written in fewer statements than callbacks, each row at its furthest status', async () => {
    const rows = await Promise.all(Array.from({ length: 30 }, () => beforeAcceptedWrite()));
    const sids = rows.map(() => twilioSid());
    // Both callbacks of every message at once; for every other message 'delivered' is posted first.
    const calls = rows.flatMap((f, i) => {
      const pair: Array<[string, string, string]> = [
        [sids[i]!, 'sent', f.sms.id],
        [sids[i]!, 'delivered', f.sms.id],
      ];
      return i % 2 === 0 ? pair : pair.reverse();
    });
    statements = [];
    const answers = await Promise.all(calls.map(([sid, status, d]) => post(sid, status, d)));
    expect(answers.map((a) => a.status)).toEqual(calls.map(() => 204));
    const writes = statements.filter((q) => /update deliveries/.test(q));
    expect(writes.length, 'one statement per batch').toBeLessThan(calls.length);
    for (const [i, f] of rows.entries())
      expect(await row(f.sms.id)).toMatchObject({ status: 'delivered', provider_id: sids[i] });
  });

  it('apply two provider ids naming one row as one after the other would: the first adopts it', async () => {
    const f = await beforeAcceptedWrite();
    const [a, b] = [twilioSid(), twilioSid()];
    const answers = await Promise.all([post(a, 'sent', f.sms.id), post(b, 'sent', f.sms.id)]);
    expect(answers.map((x) => x.status)).toEqual([204, 204]);
    const after = await row(f.sms.id);
    expect(after.status).toBe('sent');
    expect([a, b]).toContain(after.provider_id);
  });

  it('leave a delivered row unwritten when late callbacks arrive together', async () => {
    const f = await createDeliveredSupporter(svc.sql);
    const sid = f.sms.providerId;
    await callback(sid, 'delivered');
    const delivered = await row(f.sms.id);
    await Promise.all([
      post(sid, 'sent', f.sms.id),
      post(sid, 'delivered', f.sms.id),
      post(sid, 'sent', f.sms.id),
    ]);
    expect(await row(f.sms.id), 'not even rewritten (same xmin)').toEqual(delivered);
  });
});
