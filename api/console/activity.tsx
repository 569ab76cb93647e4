import type { Hono } from 'hono';
import type { ConsoleEnv } from './env';
import { Bi } from './layout';
import { page } from './render';

export interface ActivityItem {
  id: string;
  at: string;
  action: string;
  target: string | null;
  actor: { type: string; id: string | null; name: string };
}

/** Who changed what, newest first (the audit log): a person, an API token, or the system. */
export function ActivityTable(props: { items: ActivityItem[] }) {
  if (props.items.length === 0)
    return (
      <p>
        <Bi en="No changes yet." km="មិនទាន់មានការផ្លាស់ប្តូរទេ។" />
      </p>
    );
  return (
    <table class="activity">
      <thead>
        <tr>
          <th scope="col">
            <Bi en="When" km="ពេលណា" />
          </th>
          <th scope="col">
            <Bi en="Who" km="អ្នកណា" />
          </th>
          <th scope="col">
            <Bi en="What" km="អ្វី" />
          </th>
          <th scope="col">
            <Bi en="On" km="លើ" />
          </th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((a) => (
          <tr>
            <td>{a.at.replace('T', ' ').slice(0, 19)}</td>
            <td data-actor-type={a.actor.type}>{`${a.actor.name} (${a.actor.type})`}</td>
            <td>{a.action}</td>
            <td>{a.target ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function registerActivityPage(app: Hono<ConsoleEnv>) {
  app.get('/activity', async (c) => {
    const r = await c.get('api').get<{ items: ActivityItem[] }>('/v1/activity?limit=100');
    return page(
      c,
      { title: 'Activity', section: 'activity' },
      <>
        <h1>
          <Bi en="Organization activity" km="សកម្មភាពរបស់អង្គការ" />
        </h1>
        <ActivityTable items={r.ok ? r.body.items : []} />
      </>,
    );
  });
}
