import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import type { Service } from './service';

/**
 * Creates `n` supporters tagged `tag` with SMS consent, English, UTC, and distinct valid numbers
 * (`+1978555xxxx`); returns their phones in creation order. Fails the test on any non-201.
 */
export async function createSmsSupporters(
  svc: Service,
  n: number,
  tag: string,
  name: string,
): Promise<string[]> {
  const phones: string[] = [];
  while (phones.length < n) {
    const phone = `+1978555${String(randomInt(10_000)).padStart(4, '0')}`;
    if (phones.includes(phone)) continue;
    const r = await svc.api('/v1/supporters', {
      body: {
        name: `${name} ${phones.length}`,
        phone,
        locale: 'en',
        timezone: 'UTC',
        tags: [tag],
        consent: { sms: true },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    phones.push(phone);
  }
  return phones;
}

/** Launches a monitoring campaign asking `survey` of everyone tagged `tag`, quiet hours off; returns its id. */
export async function launchSurvey(
  svc: Service,
  tag: string,
  survey: unknown,
  title = 'Trial watch',
): Promise<string> {
  const launched = await svc.api('/v1/campaigns', {
    body: {
      kind: 'monitoring',
      title,
      survey,
      audience: { tags: { include: [tag] } },
      options: { quietHours: false },
    },
  });
  expect(launched.status, JSON.stringify(launched.body)).toBe(201);
  return launched.body.id as string;
}
