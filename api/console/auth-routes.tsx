import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { clientIp, TokenBuckets } from '../middleware/rate-limit';
import { type ApiFetch, apiClient, type Problem } from './api-client';
import type { ConsoleContext, ConsoleEnv } from './env';
import { ErrorSummary, type FormErrors, noErrors, placeErrors, TextField } from './form';
import { Bi } from './layout';
import { page } from './render';
import { type CookieNames, endSession, startSession } from './security';
import { type SessionSealer, sameToken } from './session';

const LOGIN_TTL_S = 60 * 60;
const LOGIN_ATTEMPTS_PER_MIN = 10;

async function loginPage(
  c: ConsoleContext,
  cookies: CookieNames,
  errors: FormErrors,
  notice?: string,
  status?: ContentfulStatusCode,
) {
  // Before a session exists, the form token is a double-submit cookie (login CSRF).
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
      status: status ?? (errors.all.length > 0 ? 401 : 200),
    },
    <>
      <h1>
        <Bi en="Sign in" km="ចូល" />
      </h1>
      {notice ? (
        <p class="notice ok" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <form method="post" action="/console/login">
        <input type="hidden" name="_csrf" value={token} />
        <TextField
          path="token"
          type="password"
          label="Organizer token"
          hint="The API token an administrator gave you (npm run admin). It stays in an encrypted, httpOnly cookie for 8 hours."
          errors={errors}
          required
        />
        <button type="submit" class="primary">
          <Bi en="Sign in" km="ចូល" />
        </button>
      </form>
    </>,
  );
}

const tokenProblem = (message: string): Problem => ({
  status: 401,
  title: 'Sign-in failed',
  errors: [{ path: 'token', message }],
});

export function registerAuthRoutes(
  app: Hono<ConsoleEnv>,
  opts: { sealer: SessionSealer; cookies: CookieNames; fetchApi: ApiFetch; trustProxy: boolean },
) {
  const { cookies, sealer } = opts;
  // Each guess reaches the API with a new bearer token, which its per-token limit would not slow down.
  const attempts = new TokenBuckets(LOGIN_ATTEMPTS_PER_MIN);

  app.get('/login', (c) =>
    loginPage(c, cookies, noErrors(), c.req.query('signedout') ? 'You are signed out.' : undefined),
  );

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const sent = typeof body._csrf === 'string' ? body._csrf : undefined;
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const allowed = attempts.take(`login:${clientIp(c, opts.trustProxy)}`);
    if (!allowed.ok) {
      c.header('retry-after', String(allowed.retryAfterSec));
      return loginPage(
        c,
        cookies,
        placeErrors(tokenProblem(`Too many sign-in attempts; try again in ${allowed.retryAfterSec} s.`), [
          'token',
        ]),
        undefined,
        429,
      );
    }
    if (!sameToken(sent, getCookie(c, cookies.login)))
      return loginPage(
        c,
        cookies,
        placeErrors(tokenProblem('The sign-in form expired; try again.'), ['token']),
      );
    if (token === '' || /\s/.test(token))
      return loginPage(c, cookies, placeErrors(tokenProblem('Enter your organizer token.'), ['token']));
    // The API itself decides: a token that may list campaigns may use the console.
    const probe = await apiClient(opts.fetchApi, token).get('/v1/campaigns?limit=1');
    if (!probe.ok) {
      const message =
        probe.status === 403
          ? 'This token may not steer campaigns (it is not an organizer token).'
          : probe.status === 401
            ? 'This token is unknown, revoked or expired.'
            : `The API answered ${probe.status}: ${probe.problem.detail ?? probe.problem.title}`;
      return loginPage(c, cookies, placeErrors(tokenProblem(message), ['token']));
    }
    deleteCookie(c, cookies.login, { path: cookies.path, secure: cookies.secure });
    startSession(c, cookies, sealer.seal(sealer.create(token)));
    return c.redirect('/console/campaigns', 303);
  });
}

/** Sign-out needs the session's form token like any other POST, so it sits behind requireSession. */
export function registerSignOut(app: Hono<ConsoleEnv>, cookies: CookieNames) {
  app.post('/logout', (c) => {
    endSession(c, cookies);
    return c.redirect('/console/login?signedout=1', 303);
  });
}
