import type { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiResult, Organization } from './api-client';
import { type ConsoleContext, type ConsoleEnv, formValues } from './env';
import { Bi, CsrfField } from './layout';
import { page } from './render';

interface Member {
  id: string;
  email: string;
  name: string;
  role: string;
  lastSignInAt: string | null;
  passkeys: number;
  totp: boolean;
}
interface Token {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const ROLES = ['owner', 'organizer', 'translator', 'viewer'] as const;
const TOKEN_ROLES = ['organizer', 'translator', 'viewer', 'admin'] as const;
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');
const problemText = (r: ApiResult<unknown>) =>
  r.ok
    ? ''
    : [r.problem.detail ?? r.problem.title, ...r.problem.errors.map((e) => `${e.path}: ${e.message}`)].join(
        ' · ',
      );

interface Extra {
  notice?: string;
  error?: string;
  secret?: string;
}

async function membersPage(c: ConsoleContext, extra: Extra = {}) {
  const api = c.get('api');
  const csrf = c.get('session').csrf;
  const [members, tokens, org] = await Promise.all([
    api.get<{ items: Member[] }>('/v1/members'),
    api.get<{ items: Token[] }>('/v1/tokens'),
    api.get<Organization>('/v1/organization'),
  ]);
  if (!members.ok || !tokens.ok || !org.ok)
    throw new HTTPException(members.ok ? 500 : (members.status as 403), {
      message: 'Only owners manage members.',
    });
  const stale = (m: Member) =>
    m.lastSignInAt === null || Date.now() - Date.parse(m.lastSignInAt) > 90 * 86_400_000;
  return page(
    c,
    { title: 'Members', section: 'members' },
    <>
      <h1>
        <Bi en="Members and access" km="សមាជិក និងសិទ្ធិចូល" />
      </h1>
      {extra.notice ? (
        <p class="notice ok" role="status">
          {extra.notice}
        </p>
      ) : null}
      {extra.error ? (
        <p class="error" role="alert" id="members-error">
          {extra.error}
        </p>
      ) : null}
      <table id="members">
        <thead>
          <tr>
            <th scope="col">
              <Bi en="Member" km="សមាជិក" />
            </th>
            <th scope="col">
              <Bi en="Role" km="តួនាទី" />
            </th>
            <th scope="col">
              <Bi en="Sign-in factors" km="វិធីចូល" />
            </th>
            <th scope="col">
              <Bi en="Last sign-in" km="ចូលចុងក្រោយ" />
            </th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {members.body.items.map((m) => (
            <tr data-member={m.email}>
              <td>
                {m.name ? `${m.name} · ` : ''}
                {m.email}
              </td>
              <td>
                <form method="post" action={`/console/members/${m.id}/role`} class="row">
                  <CsrfField csrf={csrf} />
                  <select name="role" aria-label={`Role of ${m.email}`}>
                    {ROLES.map((r) => (
                      <option value={r} selected={r === m.role}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <button type="submit">
                    <Bi en="Change" km="ផ្លាស់ប្តូរ" />
                  </button>
                </form>
              </td>
              <td>
                {`${m.passkeys} passkey${m.passkeys === 1 ? '' : 's'}`}
                {m.totp ? ' · authenticator app' : ''}
              </td>
              <td>
                {when(m.lastSignInAt)}
                {stale(m) ? ' (stale · យូរហើយ)' : ''}
              </td>
              <td>
                <form method="post" action={`/console/members/${m.id}/remove`}>
                  <CsrfField csrf={csrf} />
                  <button type="submit" class="danger">
                    <Bi en="Remove" km="ដកចេញ" />
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>
        <Bi en="Invite someone" km="អញ្ជើញនរណាម្នាក់" />
      </h2>
      <form method="post" action="/console/members/invite" id="invite">
        <CsrfField csrf={csrf} />
        <label for="f-invite-email">
          <Bi en="Email" km="អ៊ីមែល" />
        </label>
        <input id="f-invite-email" name="email" type="email" required />
        <label for="f-invite-role">
          <Bi en="Role" km="តួនាទី" />
        </label>
        <select id="f-invite-role" name="role">
          {ROLES.map((r) => (
            <option value={r} selected={r === 'organizer'}>
              {r}
            </option>
          ))}
        </select>
        <label for="f-invite-locale">
          <Bi en="Email language" km="ភាសាអ៊ីមែល" />
        </label>
        <select id="f-invite-locale" name="locale">
          <option value="en">English</option>
          <option value="km">ខ្មែរ (Khmer)</option>
        </select>
        <button type="submit" class="primary">
          <Bi en="Send invitation" km="ផ្ញើការអញ្ជើញ" />
        </button>
      </form>

      <h2>
        <Bi en="Security policy" km="គោលការណ៍សុវត្ថិភាព" />
      </h2>
      <form method="post" action="/console/members/policy" id="policy">
        <CsrfField csrf={csrf} />
        <input
          type="checkbox"
          id="f-require-passkey"
          name="requirePasskey"
          value="on"
          checked={org.body.requirePasskey}
        />{' '}
        <label for="f-require-passkey">
          <Bi
            en="Require passkeys: authenticator and recovery codes no longer sign in (a recovery code only lets a member register a new passkey)"
            km="តម្រូវឱ្យប្រើ passkey"
          />
        </label>
        <button type="submit">
          <Bi en="Save policy" km="រក្សាទុក" />
        </button>
      </form>

      <h2>
        <Bi en="API tokens (scripts and partners)" km="API tokens" />
      </h2>
      {extra.secret ? (
        <p class="notice ok" role="status">
          <Bi en="The new token (shown once; store it now):" km="token ថ្មី (បង្ហាញតែម្តង)៖" />{' '}
          <code id="token-secret">{extra.secret}</code>
        </p>
      ) : null}
      <table id="tokens">
        <thead>
          <tr>
            <th scope="col">
              <Bi en="Name" km="ឈ្មោះ" />
            </th>
            <th scope="col">
              <Bi en="Role" km="តួនាទី" />
            </th>
            <th scope="col">
              <Bi en="Created" km="បានបង្កើត" />
            </th>
            <th scope="col">
              <Bi en="Last used" km="ប្រើចុងក្រោយ" />
            </th>
            <th scope="col">
              <Bi en="Expires" km="ផុតកំណត់" />
            </th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {tokens.body.items.map((t) => (
            <tr data-token={t.name}>
              <td>{t.name || '—'}</td>
              <td>{t.role}</td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>{when(t.expiresAt)}</td>
              <td>
                <form method="post" action={`/console/tokens/${t.id}/revoke`}>
                  <CsrfField csrf={csrf} />
                  <button type="submit" class="danger">
                    <Bi en="Revoke" km="ដកហូត" />
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/console/tokens" id="new-token">
        <CsrfField csrf={csrf} />
        <label for="f-token-name">
          <Bi en="Name" km="ឈ្មោះ" />
        </label>
        <input id="f-token-name" name="name" required />
        <label for="f-token-role">
          <Bi en="Role" km="តួនាទី" />
        </label>
        <select id="f-token-role" name="role">
          {TOKEN_ROLES.map((r) => (
            <option value={r}>{r}</option>
          ))}
        </select>
        <label for="f-token-days">
          <Bi en="Expires after (days, empty: never)" km="ផុតកំណត់ក្រោយ (ថ្ងៃ)" />
        </label>
        <input id="f-token-days" name="days" inputmode="numeric" />
        <button type="submit">
          <Bi en="Create token" km="បង្កើត token" />
        </button>
      </form>
    </>,
  );
}

/** /console/members (owners): members, invitations, the passkey policy and API tokens, all over the API. */
export function registerMemberPages(app: Hono<ConsoleEnv>) {
  app.get('/members', (c) => membersPage(c));

  app.post('/members/invite', async (c) => {
    const v = await formValues(c);
    const r = await c
      .get('api')
      .post('/v1/members/invitations', { email: v.email, role: v.role, locale: v.locale });
    return membersPage(
      c,
      r.ok ? { notice: `Invitation sent to ${v.email}. · ការអញ្ជើញត្រូវបានផ្ញើ។` } : { error: problemText(r) },
    );
  });

  app.post('/members/:id/role', async (c) => {
    const v = await formValues(c);
    const r = await c.get('api').patch(`/v1/members/${c.req.param('id')}`, { role: v.role });
    return membersPage(
      c,
      r.ok
        ? { notice: 'Role changed; their sessions ended. · តួនាទីត្រូវបានផ្លាស់ប្តូរ។' }
        : { error: problemText(r) },
    );
  });

  app.post('/members/:id/remove', async (c) => {
    const r = await c.get('api').del(`/v1/members/${c.req.param('id')}`);
    return membersPage(
      c,
      r.ok
        ? { notice: 'Member removed; signed out everywhere. · សមាជិកត្រូវបានដកចេញ។' }
        : { error: problemText(r) },
    );
  });

  app.post('/members/policy', async (c) => {
    const v = await formValues(c);
    const r = await c.get('api').patch('/v1/organization', { requirePasskey: v.requirePasskey === 'on' });
    return membersPage(
      c,
      r.ok ? { notice: 'Policy saved. · គោលការណ៍ត្រូវបានរក្សាទុក។' } : { error: problemText(r) },
    );
  });

  app.post('/tokens', async (c) => {
    const v = await formValues(c);
    const days = v.days?.trim() ? Number(v.days) : undefined;
    const expiresAt =
      days !== undefined && Number.isFinite(days) && days > 0
        ? new Date(Date.now() + days * 86_400_000).toISOString()
        : undefined;
    const r = await c
      .get('api')
      .post<{ secret: string }>('/v1/tokens', { name: v.name, role: v.role, expiresAt });
    return membersPage(c, r.ok ? { secret: r.body.secret } : { error: problemText(r) });
  });

  app.post('/tokens/:id/revoke', async (c) => {
    const r = await c.get('api').del(`/v1/tokens/${c.req.param('id')}`);
    return membersPage(
      c,
      r.ok ? { notice: 'Token revoked. · token ត្រូវបានដកហូត។' } : { error: problemText(r) },
    );
  });
}
