import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv, ConsoleBindings } from '../context';
import { relyingParty } from '../services/passkeys';
import { registerAccountRoutes } from './account';
import { registerActivityPage } from './activity';
import type { ApiFetch } from './api-client';
import { registerAuthRoutes, registerSignOut, signInAttempts } from './auth-routes';
import { registerCampaignRoutes } from './campaigns/routes';
import type { ConsoleContext, ConsoleEnv } from './env';
import { registerInviteRoutes } from './invite-routes';
import { registerMemberPages } from './members';
import { registerNewCampaignRoutes } from './new-campaign/routes';
import { registerPasskeyAssets } from './passkey-assets';
import { messagePage } from './render';
import { consoleHeaders, cookieNames, readOnlyGuard, requireSession, sameOriginPosts } from './security';
import { registerSettingsRoutes } from './settings';
import { registerStageTemplatePages } from './stage-templates-page';
import { MAX_IMPORT_BYTES, registerSupporterRoutes } from './supporters/routes';
import { registerSurveyBuilder } from './survey-builder';
import { registerSurveyReportPages } from './survey-reports';
import { registerSurveyResultPages } from './survey-results-pages';

const MAX_FORM_BYTES = 512 * 1024;

/**
 * The organizer console at /console: server-rendered pages over the public API, called through the
 * app's own `request()` as the signed-in person (a binding, not a header). Only sign-in, invitations
 * and the person's own account read Postgres here (people, passkeys, sessions); never Temporal.
 */
export function registerConsoleRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const fetchApi: ApiFetch = (path, init, who) =>
    app.request(path, init, { consolePrincipal: who } satisfies ConsoleBindings);
  const cookies = cookieNames(deps.publicBaseUrl);
  const limits = {
    idleS: deps.config.SESSION_IDLE_MINUTES * 60,
    absoluteS: deps.config.SESSION_MAX_HOURS * 3600,
  };
  const rp = relyingParty(deps.publicBaseUrl);
  const sql = deps.sql;
  const auth = {
    sql,
    cookies,
    limits,
    rp,
    trustProxy: deps.config.RATE_LIMIT_TRUST_PROXY,
    attempts: signInAttempts(),
  };
  const ui = new Hono<ConsoleEnv>();

  ui.use(consoleHeaders());
  ui.use(async function limitFormBody(c, next) {
    const max = c.req.path === '/console/supporters/import' ? MAX_IMPORT_BYTES : MAX_FORM_BYTES;
    return bodyLimit({
      maxSize: max,
      onError: (c) =>
        messagePage(c as ConsoleContext, 413, 'Too large', `The form is over ${max / 1024 / 1024} MB.`),
    })(c, next);
  });
  ui.use(sameOriginPosts(deps.publicBaseUrl));
  registerPasskeyAssets(ui);
  registerAuthRoutes(ui, auth);
  registerInviteRoutes(ui, auth);
  ui.use(requireSession({ sql, limits, cookies, fetchApi }));
  registerSignOut(ui, { sql, cookies });
  registerAccountRoutes(ui, { sql, limits, cookies, rp });
  ui.use(readOnlyGuard());
  registerMemberPages(ui);
  registerActivityPage(ui);
  // Before /campaigns/:id, which would take "new" for an id.
  registerNewCampaignRoutes(ui);
  registerSurveyBuilder(ui);
  registerSurveyReportPages(ui);
  registerSurveyResultPages(ui, fetchApi);
  registerCampaignRoutes(ui);
  registerSupporterRoutes(ui);
  registerSettingsRoutes(ui);
  registerStageTemplatePages(ui);
  ui.all('*', (c) => messagePage(c, 404, 'Not found', 'There is no console page at this address.'));

  ui.onError((err, c) => {
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      if (status === 401) return c.redirect('/console/login', 303);
      return messagePage(
        c,
        status,
        status === 403 ? 'Refused' : 'Request error',
        err.message || 'This request did not come from a console page (origin check).',
      );
    }
    throw err;
  });

  app.route('/console', ui);
}
