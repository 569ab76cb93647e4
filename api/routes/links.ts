import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { suppressionKeys } from '../../core/runtime';
import { recordClick, recordDone } from '../../db/action-events';
import { optOutChannel } from '../../db/consent';
import { findLink, type LinkTarget } from '../../db/links';
import type { DeliveryChannel } from '../../domain/channels';
import { hostsActionPage, loadActionContext } from '../action-page/load';
import type { AppDeps, AppEnv } from '../context';
import { notFound, problemBody, problemResponse } from '../errors/problem';
import { problem } from '../schemas/common';
import { actionPageResponse, serveActionPage } from './case-letters';
import { registerSurveyFormRoutes, serveSurveyForm, surveyFormOf } from './survey-form';

// Tokens are base64url HMACs (activities/links.ts); anything else is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
const NO_STORE = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' };
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

type Locale = 'en' | 'km';

// Khmer wording to be reviewed by the organization's native speakers.
const TEXT = {
  en: {
    title: 'Unsubscribe',
    ask: { sms: 'Stop text messages?', email: 'Stop emails?' },
    explain: {
      sms: 'You will no longer receive action alerts from us by SMS.',
      email: 'You will no longer receive action alerts from us by email.',
    },
    button: 'Unsubscribe',
    done: 'You are unsubscribed',
    after: {
      sms: 'We will not text you again. Reply START to any of our messages to opt back in.',
      email: 'We will not email you again.',
    },
    invalid: 'This link is not valid or has expired.',
  },
  km: {
    title: 'ឈប់ទទួលសារ',
    ask: { sms: 'ឈប់ទទួលសារ SMS?', email: 'ឈប់ទទួលអ៊ីមែល?' },
    explain: {
      sms: 'អ្នកនឹងលែងទទួលបានសារ SMS ជូនដំណឹងអំពីសកម្មភាពពីយើងទៀតហើយ។',
      email: 'អ្នកនឹងលែងទទួលបានអ៊ីមែលជូនដំណឹងអំពីសកម្មភាពពីយើងទៀតហើយ។',
    },
    button: 'ឈប់ទទួល',
    done: 'អ្នកបានឈប់ទទួលរួចហើយ',
    after: {
      sms: 'យើងនឹងលែងផ្ញើសារ SMS ទៅអ្នកទៀតហើយ។ ឆ្លើយតបពាក្យ START ដើម្បីទទួលវិញ។',
      email: 'យើងនឹងលែងផ្ញើអ៊ីមែលទៅអ្នកទៀតហើយ។',
    },
    invalid: 'តំណនេះមិនត្រឹមត្រូវ ឬផុតកំណត់ហើយ។',
  },
} as const;

function page(locale: Locale, title: string, content: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>body{font-family:system-ui,"Noto Sans Khmer","Khmer OS",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.6}button{font:inherit;padding:.5rem 1.25rem}</style>
</head>
<body>${content}</body>
</html>`;
}

function htmlPage(c: Context, status: 200 | 404, body: ReturnType<typeof page>) {
  return c.html(body, status, { ...NO_STORE, 'content-security-policy': PAGE_CSP });
}

function confirmPage(locale: Locale, channel: DeliveryChannel) {
  const t = TEXT[locale];
  return page(
    locale,
    t.title,
    html`<h1>${t.ask[channel]}</h1>
<p>${t.explain[channel]}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${t.button}</button></form>`,
  );
}

function unsubscribedPage(locale: Locale, channel: DeliveryChannel) {
  const t = TEXT[locale];
  return page(locale, t.title, html`<h1>${t.done}</h1><p>${t.after[channel]}</p>`);
}

// We cannot know the supporter's language for an unknown token: say it in both.
const invalidPage = () =>
  page('en', TEXT.en.title, html`<p>${TEXT.en.invalid}</p><p lang="km">${TEXT.km.invalid}</p>`);

/** The delivery behind a token, or 404 without saying more. */
async function resolve(deps: AppDeps, token: string): Promise<LinkTarget> {
  const link = TOKEN.test(token) ? await findLink(deps.sql, token) : undefined;
  if (!link) throw notFound('Unknown link');
  return link;
}

function safeActionUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function registerLinkRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  const keys = suppressionKeys(deps.config);
  // The action page lives on another site and calls "I did it" from the browser.
  app.use('/a/:token/done', cors({ origin: '*', allowMethods: ['POST'] }));

  app.get('/a/:token', async (c) => {
    // A monitoring round's link opens its survey form (survey-form.tsx).
    const form = await surveyFormOf(deps, c.req.param('token'));
    if (form) return serveSurveyForm(c, c.req.param('token'), form);
    // A case sheet (or targets to write to) makes the service host the action page (case-letters.tsx).
    const ctx = await loadActionContext(sql, c.req.param('token'), new Date());
    if (ctx && hostsActionPage(ctx)) return serveActionPage(c, deps, ctx);
    const token = c.req.param('token');
    const link = ctx?.link ?? (TOKEN.test(token) ? await findLink(sql, token) : undefined);
    if (!link) {
      // A forged token: a page for a person, problem+json for a program.
      if (c.req.header('accept')?.includes('text/html')) return actionPageResponse(c, undefined);
      throw notFound('Unknown link');
    }
    const target = safeActionUrl(link.actionUrl);
    if (!target) throw notFound('This link has no action page');
    // HEAD is what link scanners send; only a real visit counts as a click.
    if (c.req.method === 'GET') await recordClick(sql, link, 'link');
    for (const [name, value] of Object.entries(NO_STORE)) c.header(name, value);
    return c.redirect(target, 302);
  });

  app.post('/a/:token/done', async (c) => {
    const link = await resolve(deps, c.req.param('token'));
    await recordDone(sql, link, 'link');
    return c.json({ status: 'done' }, 200, NO_STORE);
  });

  app.get('/u/:token', async (c) => {
    const token = c.req.param('token');
    const link = TOKEN.test(token) ? await findLink(sql, token) : undefined;
    if (!link) {
      if (c.req.header('accept')?.includes('text/html')) return htmlPage(c, 404, invalidPage());
      return problemResponse(c, problemBody('not-found', 'Unknown link'));
    }
    // A GET changes nothing: mail scanners fetch every link they see.
    return htmlPage(c, 200, confirmPage(link.locale, link.channel));
  });

  // RFC 8058 one-click: the body is "List-Unsubscribe=One-Click", but no client is refused for its body.
  app.post('/u/:token', async (c) => {
    const link = await resolve(deps, c.req.param('token'));
    await sql.begin((tx) => optOutChannel(tx, keys, { ...link, source: 'unsubscribe_link' }));
    return htmlPage(c, 200, unsubscribedPage(link.locale, link.channel));
  });

  registerSurveyFormRoutes(app, deps);
  registerLinkDocs(app);
}

function registerLinkDocs(app: OpenAPIHono<AppEnv>) {
  const param = [{ name: 'token', in: 'path' as const, required: true, schema: { type: 'string' as const } }];
  const notFoundDoc = {
    404: problem('Unknown link', ['not-found']),
  };
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/a/{token}',
    tags: ['supporter links'],
    summary: "Tracked action link: records a click and redirects to the stage's action URL",
    parameters: param,
    responses: { 302: { description: 'To the action page' }, ...notFoundDoc },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/a/{token}/done',
    tags: ['supporter links'],
    summary: '"I did it" from the action page: records that the supporter acted (once per campaign)',
    parameters: param,
    responses: { 200: { description: '{ "status": "done" }' }, ...notFoundDoc },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/u/{token}',
    tags: ['supporter links'],
    summary: 'Unsubscribe confirmation page (in the supporter’s language); changes nothing',
    parameters: param,
    responses: { 200: { description: 'HTML page with a confirm button' }, ...notFoundDoc },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/u/{token}',
    tags: ['supporter links'],
    summary: "One-click unsubscribe (RFC 8058) from this link's channel",
    parameters: param,
    responses: { 200: { description: 'HTML confirmation' }, ...notFoundDoc },
  });
}
