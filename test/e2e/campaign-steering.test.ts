import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal } from '../support/problem';
import { eventually, sandboxClient } from '../support/sandbox-client';
import { type Service, startService } from '../support/service';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

const stageOf = (body: { stages: Array<{ key: string }> }, key: string) =>
  body.stages.find((s) => s.key === key) as
    | { key: string; status: string; counts: Record<string, number> }
    | undefined;

describe('steering a running campaign through the API', () => {
  it('escalates, pauses, resumes, edits, broadcasts a case update and closes the case', async () => {
    const sandbox = sandboxClient(svc.sandboxUrl);
    const phones = ['+19785550161', '+19785550162', '+19785550163'];
    for (const phone of phones) {
      await svc.api('/v1/supporters', { body: { phone, tags: ['steer'], consent: { sms: true } } });
    }
    const launched = await svc.api('/v1/campaigns', {
      body: {
        kind: 'custom',
        title: 'Steering',
        audience: { tags: { include: ['steer'] } },
        content: { en: { sms: 'Alert: act now {{actionUrl}}' } },
        stages: [
          {
            key: 'alert',
            at: { after: 'PT0S' },
            channel: 'sms',
            // biome-ignore lint/suspicious/noThenProperty: API.md names the escalation step `then`
            escalation: { ifActionRateBelow: 0.5, then: 'notify_organizers' },
          },
          { key: 'follow-up', at: { after: 'PT1H' }, channel: 'sms', audience: { select: 'not_acted' } },
        ],
        options: { quietHours: false },
      },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const id = launched.body.id;
    const detail = () => svc.api(`/v1/campaigns/${id}`);

    const afterAlert = await eventually(detail, (r) => r.body.escalations?.length === 1, 'the escalation');
    expect(afterAlert.body.escalations[0]).toMatchObject({
      stageKey: 'alert',
      step: 'notify_organizers',
      actionRate: 0,
    });
    expect(stageOf(afterAlert.body, 'alert')).toMatchObject({
      status: 'done',
      counts: { targeted: 3, sent: 3 },
    });
    expect(afterAlert.body.nextStageAt).toBe(afterAlert.body.stages[1].scheduledAt);

    expect((await svc.api(`/v1/campaigns/${id}/pause`, { method: 'POST' })).body).toEqual({
      status: 'paused',
    });
    await eventually(detail, (r) => r.body.status === 'paused', 'paused in the list view');
    expect((await svc.api(`/v1/campaigns/${id}/resume`, { method: 'POST' })).status).toBe(202);
    await eventually(detail, (r) => r.body.status === 'running', 'running again');

    const edited = await svc.api(`/v1/campaigns/${id}/stages/follow-up`, {
      method: 'PATCH',
      body: { content: { en: { sms: 'Still time to act {{actionUrl}}' } } },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ key: 'follow-up', status: 'pending' });
    const late = await svc.api(`/v1/campaigns/${id}/stages/alert`, {
      method: 'PATCH',
      body: { content: { en: { sms: 'x' } } },
    });
    expectRefusal(late, 409, 'stage-started');
    const unknown = await svc.api(`/v1/campaigns/${id}/stages/no-such-stage`, {
      method: 'PATCH',
      body: { content: { en: { sms: 'x' } } },
    });
    expectRefusal(unknown, 404, 'unknown-stage');
    const badPlaceholder = await svc.api(`/v1/campaigns/${id}/stages/follow-up`, {
      method: 'PATCH',
      body: { content: { en: { sms: 'Hi {{password}}' } } },
    });
    expectRefusal(badPlaceholder, 400, 'invalid-input');
    expect(badPlaceholder.body.errors[0].path).toBe('content.en.sms');

    const update = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { content: { en: { sms: 'Case update: hearing moved to Monday' } }, audience: 'recipients' },
    });
    expect(update.status, JSON.stringify(update.body)).toBe(202);
    await eventually(detail, (r) => stageOf(r.body, update.body.key)?.status === 'done', 'the case update');
    for (const phone of phones) {
      const got = await sandbox.messages({ channel: 'sms', to: phone });
      expect(got.map((m) => m.body)).toContain('Case update: hearing moved to Monday');
    }

    const closure = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { content: { en: { sms: 'Released. Thank you all.' } }, audience: 'all', resolution: 'released' },
    });
    expect(closure.status).toBe(202);
    const closed = await eventually(detail, (r) => r.body.status === 'closed', 'closure');
    expect(stageOf(closed.body, 'follow-up')?.status).toBe('cancelled');
    for (const phone of phones) {
      const got = (await sandbox.messages({ channel: 'sms', to: phone })).map((m) => m.body);
      expect(got).toContain('Released. Thank you all.');
      expect(got.some((b) => b?.startsWith('Still time'))).toBe(false);
    }
    expectRefusal(await svc.api(`/v1/campaigns/${id}/pause`, { method: 'POST' }), 409, 'campaign-ended');
    // Once the workflow has finished, an Update finds no running campaign to take it.
    await svc.temporal.workflow.getHandle(launched.body.workflowId).result();
    const afterEnd = await svc.api(`/v1/campaigns/${id}/case-updates`, {
      body: { content: { en: { sms: 'Too late' } }, audience: 'all' },
    });
    expectRefusal(afterEnd, 409, 'campaign-not-running');
    const listed = await svc.api('/v1/campaigns?status=closed&limit=100');
    expect(listed.body.items.find((c: { id: string }) => c.id === id)).toMatchObject({
      status: 'closed',
      actionRate: 0,
    });
    const running = await svc.api('/v1/campaigns?status=running&limit=100');
    expect(running.body.items.some((c: { id: string }) => c.id === id)).toBe(false);
  });
});
