import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Sql } from '../../db/client';
import { findPersonByEmail, membershipsOf } from '../../db/people';
import { consumeRecoveryCode } from '../../db/recovery-codes';
import { endSessionBySecret, type SessionLimits } from '../../db/sessions';
import { problemBody } from '../errors/problem';
import { clientIp, TokenBuckets } from '../middleware/rate-limit';
import { authenticationOptions, type RelyingParty, verifyAuthentication } from '../services/passkeys';
import { checkTotp } from '../services/totp';
import type { Problem } from './api-client';
import type { ConsoleContext, ConsoleEnv } from './env';
import { ErrorSummary, type FormErrors, noErrors, placeErrors, TextField } from './form';
import { Bi } from './layout';
import { page } from './render';
import { type CookieNames, endSession } from './security';
import { sameToken } from './session';
import { signIn } from './sign-in';

const LOGIN_TTL_S = 60 * 60;
const CHALLENGE_TTL_S = 5 * 60;
const SIGN_IN_ATTEMPTS_PER_MIN = 10;
/** One answer for every refused code: it never tells whether the account exists. */
const REFUSED = 'Sign-in failed: check the email address and the code. · ការចូលបរាជ័យ៖ សូមពិនិត្យអ៊ីមែល និងលេខកូដ។';

export interface AuthDeps {
  sql: Sql;
  cookies: CookieNames;
  limits: SessionLimits;
  rp: RelyingParty;
  trustProxy: boolean;
  /** Shared by every sign-in and invitation attempt: ten a minute per client address. */
  attempts: TokenBuckets;
}

export const signInAttempts = () => new TokenBuckets(SIGN_IN_ATTEMPTS_PER_MIN);

/** Takes one attempt for this client address; a refusal carries Retry-After. */
export function takeAttempt(
  c: ConsoleContext,
  deps: AuthDeps,
): { ok: true } | { ok: false; retryAfter: number } {
  const allowed = deps.attempts.take(`sign-in:${clientIp(c, deps.trustProxy)}`);
  if (allowed.ok) return { ok: true };
  c.header('retry-after', String(allowed.retryAfterSec));
  return { ok: false, retryAfter: allowed.retryAfterSec };
}

/** A problem+json answer for the passkey script (it shows `detail`). */
export const jsonProblem = (c: ConsoleContext, status: ContentfulStatusCode, title: string, detail: string) =>
  c.body(JSON.stringify(problemBody(status, title, detail)), status, {
    'content-type': 'application/problem+json',
  });

export function setChallengeCookie(c: ConsoleContext, cookies: CookieNames, id: string) {
  setCookie(c, `${cookies.login}-challenge`, id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    path: cookies.path,
    maxAge: CHALLENGE_TTL_S,
  });
}

export function takeChallengeCookie(c: ConsoleContext, cookies: CookieNames): string | undefined {
  const id = getCookie(c, `${cookies.login}-challenge`);
  deleteCookie(c, `${cookies.login}-challenge`, { path: cookies.path, secure: cookies.secure });
  return id;
}

async function loginPage(
  c: ConsoleContext,
  cookies: CookieNames,
  errors: FormErrors,
  opts: { notice?: string; status?: ContentfulStatusCode; email?: string } = {},
) {
  // Before a session exists, the code form's token is a double-submit cookie (login CSRF).
  const token = randomBytes(24).toString('base64url');
  setCookie(c, cookies.login, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    path: cookies.path,
    maxAge: LOGIN_TTL_S,
  });
  return page(
    c,
    {
      title: 'Sign in',
      section: 'login',
      signedIn: false,
      passkeys: true,
      status: opts.status ?? (errors.all.length > 0 ? 401 : 200),
    },
    <>
      <h1>
        <Bi en="Sign in" km="ចូល" />
      </h1>
      {opts.notice ? (
        <p class="notice ok" role="status">
          {opts.notice}
        </p>
      ) : null}
      <section aria-labelledby="passkey-h">
        <h2 id="passkey-h">
          <Bi en="With a passkey" km="ដោយប្រើ passkey" />
        </h2>
        <p>
          <Bi
            en="Your device asks for your fingerprint, face or screen lock. Nothing to type, nothing a fake site can reuse."
            km="ឧបករណ៍របស់អ្នកនឹងសុំស្នាមម្រាមដៃ មុខ ឬការចាក់សោអេក្រង់។"
          />
        </p>
        <p id="passkey-status" role="alert" class="error" />
        <button
          type="button"
          class="primary"
          id="passkey-signin"
          data-passkey="authenticate"
          data-options="/console/login/passkey/options"
          data-verify="/console/login/passkey/verify"
        >
          <Bi en="Sign in with a passkey" km="ចូលដោយប្រើ passkey" />
        </button>
      </section>
      <section aria-labelledby="code-h">
        <h2 id="code-h">
          <Bi en="With a code" km="ដោយប្រើលេខកូដ" />
        </h2>
        <p>
          <Bi
            en="An authenticator-app code, or one of your recovery codes (each works once)."
            km="លេខកូដពីកម្មវិធីផ្ទៀងផ្ទាត់ ឬលេខកូដសង្គ្រោះ (ប្រើបានតែម្តង)។"
          />
        </p>
        <ErrorSummary errors={errors} />
        <form method="post" action="/console/login">
          <input type="hidden" name="_csrf" value={token} />
          <TextField
            path="email"
            label={<Bi en="Email" km="អ៊ីមែល" />}
            value={opts.email}
            errors={errors}
            required
          />
          <TextField path="code" label={<Bi en="Code" km="លេខកូដ" />} errors={errors} required />
          <button type="submit">
            <Bi en="Sign in with the code" km="ចូលដោយលេខកូដ" />
          </button>
        </form>
      </section>
    </>,
  );
}

const codeProblem = (message: string): Problem => ({
  status: 401,
  title: 'Sign-in failed',
  errors: [{ path: 'code', message }],
});

export function registerAuthRoutes(app: Hono<ConsoleEnv>, deps: AuthDeps) {
  const { cookies, sql } = deps;

  app.get('/login', (c) => {
    const notice = c.req.query('signedout')
      ? 'You are signed out. · អ្នកបានចាកចេញ។'
      : c.req.query('ended')
        ? 'Your session has ended; sign in again. · វគ្គរបស់អ្នកបានបញ្ចប់ សូមចូលម្តងទៀត។'
        : undefined;
    return loginPage(c, cookies, noErrors(), { notice });
  });

  app.post('/login/passkey/options', async (c) => {
    const { options, challengeId } = await authenticationOptions(sql, deps.rp);
    setChallengeCookie(c, cookies, challengeId);
    return c.json({ options });
  });

  app.post('/login/passkey/verify', async (c) => {
    const attempt = takeAttempt(c, deps);
    if (!attempt.ok)
      return jsonProblem(
        c,
        429,
        'Too many attempts',
        `Too many sign-in attempts; try again in ${attempt.retryAfter} s.`,
      );
    const body = (await c.req.json().catch(() => ({}))) as { response?: unknown };
    const passkey = await verifyAuthentication(sql, deps.rp, takeChallengeCookie(c, cookies), body.response);
    if (!passkey || !(await signIn(c, { sql, cookies, limits: deps.limits }, passkey.personId, 'passkey')))
      return jsonProblem(
        c,
        401,
        'Sign-in failed',
        'This passkey did not sign you in; try again. · passkey នេះមិនអាចចូលបានទេ សូមព្យាយាមម្តងទៀត។',
      );
    return c.json({ redirect: '/console/campaigns' });
  });

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const sent = typeof body._csrf === 'string' ? body._csrf : undefined;
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const code = typeof body.code === 'string' ? body.code.replace(/\s/g, '') : '';
    const refuse = (message: string, status?: ContentfulStatusCode) =>
      loginPage(c, cookies, placeErrors(codeProblem(message), ['code']), { email, status });
    const attempt = takeAttempt(c, deps);
    if (!attempt.ok) return refuse(`Too many sign-in attempts; try again in ${attempt.retryAfter} s.`, 429);
    if (!sameToken(sent, getCookie(c, cookies.login))) return refuse('The sign-in form expired; try again.');
    if (email === '' || code === '') return refuse('Enter your email address and a code.');
    const person = await findPersonByEmail(sql, email);
    const [membership] = person ? await membershipsOf(sql, person.id) : [];
    if (!person || !membership) return refuse(REFUSED);
    let method: 'totp' | 'recovery';
    if (/^\d{6}$/.test(code)) {
      if (!person.totpSecret || !checkTotp(person.totpSecret, code)) return refuse(REFUSED);
      method = 'totp';
    } else if (await consumeRecoveryCode(sql, person.id, code)) method = 'recovery';
    else return refuse(REFUSED);
    if (method === 'totp' && membership.require_passkey)
      return refuse(
        'Your organization requires a passkey: sign in with your passkey (a recovery code lets you register a new one). · អង្គការរបស់អ្នកតម្រូវឱ្យប្រើ passkey។',
      );
    deleteCookie(c, cookies.login, { path: cookies.path, secure: cookies.secure });
    await signIn(c, { sql, cookies, limits: deps.limits }, person.id, method);
    return c.redirect(
      method === 'recovery' && membership.require_passkey
        ? '/console/account?passkey=required'
        : '/console/campaigns',
      303,
    );
  });
}

/** Sign-out ends the session on the server, so it sits behind requireSession (form token checked). */
export function registerSignOut(app: Hono<ConsoleEnv>, deps: { sql: Sql; cookies: CookieNames }) {
  app.post('/logout', async (c) => {
    const secret = getCookie(c, deps.cookies.session);
    if (secret) await endSessionBySecret(deps.sql, secret);
    endSession(c, deps.cookies);
    return c.redirect('/console/login?signedout=1', 303);
  });
}
