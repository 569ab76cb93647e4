import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Sql } from '../../db/client';
import { listPasskeys, removePasskey } from '../../db/passkeys';
import { pendingTotp, setTotp } from '../../db/people';
import { newRecoveryCodes, unusedRecoveryCodes } from '../../db/recovery-codes';
import {
  endPersonSessions,
  endSessionByRef,
  listPersonSessions,
  type SessionLimits,
} from '../../db/sessions';
import {
  type RelyingParty,
  registrationOptions,
  storePasskey,
  verifyRegistration,
} from '../services/passkeys';
import { checkTotp, newTotpSecret } from '../services/totp';
import { jsonProblem, setChallengeCookie, takeChallengeCookie } from './auth-routes';
import { type ConsoleContext, type ConsoleEnv, formValues } from './env';
import { Bi, CsrfField } from './layout';
import { page } from './render';
import { type CookieNames, endSession } from './security';
import { sameToken } from './session';

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—');
const refOf = (secret: string | undefined) =>
  secret ? createHash('sha256').update(secret).digest('hex') : '';

interface Extra {
  notice?: string;
  codes?: string[];
  totpSetup?: { secret: string; uri: string };
  error?: string;
}

async function accountPage(
  c: ConsoleContext,
  deps: { sql: Sql; limits: SessionLimits; cookies: CookieNames },
  extra: Extra = {},
) {
  const s = c.get('session');
  const [passkeys, sessions, unused, pending] = await Promise.all([
    listPasskeys(deps.sql, s.personId),
    listPersonSessions(deps.sql, s.personId, deps.limits),
    unusedRecoveryCodes(deps.sql, s.personId),
    pendingTotp(deps.sql, s.personId),
  ]);
  const current = refOf(getCookie(c, deps.cookies.session));
  const [totpRow] = await deps.sql<
    { on: boolean }[]
  >`select totp_secret is not null as on from people where id = ${s.personId}`;
  const welcome = c.req.query('welcome');
  const mustAddPasskey =
    c.req.query('passkey') === 'required' || (s.requirePasskey && s.method === 'recovery');
  return page(
    c,
    { title: 'My account', section: 'account', passkeys: true },
    <>
      <h1>
        <Bi en="My account" km="គណនីរបស់ខ្ញុំ" />
      </h1>
      <p>
        {s.name ? `${s.name} · ` : ''}
        {s.email} · <Bi en={`role: ${s.role}`} km={`តួនាទី៖ ${s.role}`} />
      </p>
      {welcome ? (
        <p class="notice ok" role="status">
          <Bi
            en="Welcome! Your passkey is registered. Create recovery codes below in case you lose this device."
            km="សូមស្វាគមន៍! passkey របស់អ្នកត្រូវបានចុះឈ្មោះ។"
          />{' '}
          <a href="/console/campaigns">
            <Bi en="Go to campaigns" km="ទៅកាន់យុទ្ធនាការ" />
          </a>
        </p>
      ) : null}
      {mustAddPasskey ? (
        <p class="notice" role="alert">
          <Bi
            en="Your organization requires a passkey. Register a new passkey on this device to continue."
            km="អង្គការរបស់អ្នកតម្រូវឱ្យមាន passkey។ សូមចុះឈ្មោះ passkey ថ្មី។"
          />
        </p>
      ) : null}
      {extra.notice ? (
        <p class="notice ok" role="status">
          {extra.notice}
        </p>
      ) : null}
      {extra.error ? (
        <p class="error" role="alert" id="account-error">
          {extra.error}
        </p>
      ) : null}

      <section aria-labelledby="passkeys-h">
        <h2 id="passkeys-h">
          <Bi en="Passkeys" km="Passkeys" />
        </h2>
        <table id="passkeys">
          <thead>
            <tr>
              <th scope="col">
                <Bi en="Name" km="ឈ្មោះ" />
              </th>
              <th scope="col">
                <Bi en="Added" km="បានបន្ថែម" />
              </th>
              <th scope="col">
                <Bi en="Last used" km="ប្រើចុងក្រោយ" />
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr>
                <td>{p.name || 'Passkey'}</td>
                <td>{when(p.createdAt)}</td>
                <td>{when(p.lastUsedAt)}</td>
                <td>
                  <form method="post" action="/console/account/passkeys/remove">
                    <CsrfField csrf={s.csrf} />
                    <input type="hidden" name="id" value={p.id} />
                    <button type="submit">
                      <Bi en="Remove" km="លុប" />
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form id="add-passkey-form">
          <label for="f-passkey-name">
            <Bi en="Name of the new passkey" km="ឈ្មោះ passkey ថ្មី" />
          </label>
          <input id="f-passkey-name" name="label" value="Passkey" />
          <p id="passkey-status" role="alert" class="error" />
          <button
            type="button"
            class="primary"
            id="add-passkey"
            data-passkey="register"
            data-csrf={s.csrf}
            data-options="/console/account/passkeys/options"
            data-verify="/console/account/passkeys/verify"
          >
            <Bi en="Add a passkey" km="បន្ថែម passkey" />
          </button>
        </form>
      </section>

      <section aria-labelledby="totp-h">
        <h2 id="totp-h">
          <Bi en="Authenticator app" km="កម្មវិធីផ្ទៀងផ្ទាត់" />
        </h2>
        {totpRow?.on ? (
          <form method="post" action="/console/account/totp/remove">
            <CsrfField csrf={s.csrf} />
            <p>
              <Bi en="An authenticator app is set up." km="កម្មវិធីផ្ទៀងផ្ទាត់ត្រូវបានរៀបចំ។" />
            </p>
            <button type="submit">
              <Bi en="Remove the authenticator app" km="លុបកម្មវិធីផ្ទៀងផ្ទាត់" />
            </button>
          </form>
        ) : extra.totpSetup || pending ? (
          <form method="post" action="/console/account/totp/confirm">
            <CsrfField csrf={s.csrf} />
            {extra.totpSetup ? (
              <p>
                <Bi en="Add this key to your authenticator app:" km="បញ្ចូលកូនសោនេះទៅក្នុងកម្មវិធី៖" />{' '}
                <code id="totp-secret">{extra.totpSetup.secret}</code>
                <br />
                <code id="totp-uri">{extra.totpSetup.uri}</code>
              </p>
            ) : null}
            <label for="f-totp-code">
              <Bi en="The 6-digit code it shows" km="លេខកូដ ៦ ខ្ទង់" />
            </label>
            <input id="f-totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
            <button type="submit">
              <Bi en="Confirm" km="បញ្ជាក់" />
            </button>
          </form>
        ) : (
          <form method="post" action="/console/account/totp/start">
            <CsrfField csrf={s.csrf} />
            <button type="submit" id="totp-start">
              <Bi en="Set up an authenticator app" km="រៀបចំកម្មវិធីផ្ទៀងផ្ទាត់" />
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="recovery-h">
        <h2 id="recovery-h">
          <Bi en="Recovery codes" km="លេខកូដសង្គ្រោះ" />
        </h2>
        {extra.codes ? (
          <>
            <p role="status">
              <Bi
                en="Store these ten codes somewhere safe now: they are shown once, and each works once."
                km="សូមរក្សាទុកលេខកូដទាំងដប់នេះ៖ វាបង្ហាញតែម្តង ហើយប្រើបានតែម្តង។"
              />
            </p>
            <ul id="recovery-codes">
              {extra.codes.map((code) => (
                <li>
                  <code>{code}</code>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            <Bi en={`${unused} unused codes.`} km={`លេខកូដមិនទាន់ប្រើ ${unused}។`} />
          </p>
        )}
        <form method="post" action="/console/account/recovery-codes">
          <CsrfField csrf={s.csrf} />
          <button type="submit" id="new-recovery-codes">
            <Bi en="Create new recovery codes" km="បង្កើតលេខកូដសង្គ្រោះថ្មី" />
          </button>
        </form>
      </section>

      <section aria-labelledby="sessions-h">
        <h2 id="sessions-h">
          <Bi en="Where you are signed in" km="កន្លែងដែលអ្នកបានចូល" />
        </h2>
        <table id="sessions">
          <thead>
            <tr>
              <th scope="col">
                <Bi en="Device" km="ឧបករណ៍" />
              </th>
              <th scope="col">
                <Bi en="Signed in" km="បានចូល" />
              </th>
              <th scope="col">
                <Bi en="Last seen" km="ឃើញចុងក្រោយ" />
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {sessions.map((x) => (
              <tr>
                <td>
                  {x.device}
                  {x.ref === current ? ' (this browser · កម្មវិធីនេះ)' : ''}
                </td>
                <td>{when(x.created_at)}</td>
                <td>{when(x.last_seen_at)}</td>
                <td>
                  <form method="post" action="/console/account/sessions/end">
                    <CsrfField csrf={s.csrf} />
                    <input type="hidden" name="ref" value={x.ref} />
                    <button type="submit">
                      <Bi en="End" km="បញ្ចប់" />
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/console/account/sessions/end-all">
          <CsrfField csrf={s.csrf} />
          <button type="submit" id="sign-out-everywhere">
            <Bi en="Sign out everywhere" km="ចាកចេញពីគ្រប់កន្លែង" />
          </button>
        </form>
      </section>
    </>,
  );
}

/** /console/account: the person's own passkeys, authenticator app, recovery codes and sessions. */
export function registerAccountRoutes(
  app: Hono<ConsoleEnv>,
  deps: { sql: Sql; limits: SessionLimits; cookies: CookieNames; rp: RelyingParty },
) {
  const { sql } = deps;
  const show = (c: ConsoleContext, extra?: Extra) => accountPage(c, deps, extra);

  app.get('/account', (c) => show(c));

  app.post('/account/passkeys/options', async (c) => {
    const s = c.get('session');
    const { options, challengeId } = await registrationOptions(sql, deps.rp, {
      personId: s.personId,
      email: s.email,
      name: s.name,
    });
    setChallengeCookie(c, deps.cookies, challengeId);
    return c.json({ options });
  });

  app.post('/account/passkeys/verify', async (c) => {
    const s = c.get('session');
    const body = (await c.req.json().catch(() => ({}))) as { response?: unknown; label?: unknown };
    const verified = await verifyRegistration(
      sql,
      deps.rp,
      takeChallengeCookie(c, deps.cookies),
      body.response,
    );
    if (!verified || verified.challenge.person_id !== s.personId)
      return jsonProblem(
        c,
        400,
        'Passkey refused',
        'The passkey could not be verified; try again. · មិនអាចផ្ទៀងផ្ទាត់ passkey បានទេ។',
      );
    const label =
      typeof body.label === 'string' && body.label.trim() ? body.label.trim().slice(0, 60) : 'Passkey';
    await storePasskey(sql, s.personId, verified.credential, label);
    // A recovery session under a passkey-only policy has done what it was for: sign in again with the passkey.
    if (s.requirePasskey && s.method === 'recovery') {
      await endPersonSessions(sql, s.personId);
      endSession(c, deps.cookies);
      return c.json({ redirect: '/console/login?signedout=1' });
    }
    return c.json({ redirect: '/console/account?added=1' });
  });

  app.post('/account/passkeys/remove', async (c) => {
    const s = c.get('session');
    const { id } = await formValues(c);
    const keys = await listPasskeys(sql, s.personId);
    if (keys.length <= 1)
      return show(c, {
        error:
          'Keep at least one passkey: add another before removing this one. · សូមរក្សា passkey យ៉ាងហោចណាស់មួយ។',
      });
    if (!id || !(await removePasskey(sql, s.personId, id)))
      throw new HTTPException(404, { message: 'No such passkey.' });
    return show(c, { notice: 'Passkey removed. · passkey ត្រូវបានលុប។' });
  });

  app.post('/account/totp/start', async (c) => {
    const s = c.get('session');
    const setup = newTotpSecret(s.email);
    await setTotp(sql, s.personId, setup.secret, true);
    return show(c, { totpSetup: setup });
  });

  app.post('/account/totp/confirm', async (c) => {
    const s = c.get('session');
    const { code } = await formValues(c);
    const pending = await pendingTotp(sql, s.personId);
    if (!pending || !checkTotp(pending, (code ?? '').replace(/\s/g, '')))
      return show(c, {
        error: 'That code is not right; check the time on your device and try again. · លេខកូដមិនត្រឹមត្រូវ។',
      });
    await setTotp(sql, s.personId, pending, false);
    return show(c, { notice: 'Authenticator app set up. · កម្មវិធីផ្ទៀងផ្ទាត់ត្រូវបានរៀបចំ។' });
  });

  app.post('/account/totp/remove', async (c) => {
    await setTotp(sql, c.get('session').personId, null, false);
    return show(c, { notice: 'Authenticator app removed. · កម្មវិធីផ្ទៀងផ្ទាត់ត្រូវបានលុប។' });
  });

  app.post('/account/recovery-codes', async (c) => {
    const codes = await newRecoveryCodes(sql, c.get('session').personId);
    return show(c, { codes });
  });

  app.post('/account/sessions/end', async (c) => {
    const s = c.get('session');
    const { ref } = await formValues(c);
    const mine = refOf(getCookie(c, deps.cookies.session));
    if (!ref || !(await endSessionByRef(sql, s.personId, ref)))
      throw new HTTPException(404, { message: 'No such session.' });
    if (sameToken(ref, mine)) {
      endSession(c, deps.cookies);
      return c.redirect('/console/login?signedout=1', 303);
    }
    return show(c, { notice: 'Session ended. · វគ្គត្រូវបានបញ្ចប់។' });
  });

  app.post('/account/sessions/end-all', async (c) => {
    await endPersonSessions(sql, c.get('session').personId);
    endSession(c, deps.cookies);
    return c.redirect('/console/login?signedout=1', 303);
  });
}
