import { randomBytes } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createResendEmailChannel, type EmailChannel } from '../../channels/email-channel';
import { ProviderError } from '../../channels/provider-errors';
import { createResendClient } from '../../channels/resend-client';
import { required } from '../../core/runtime';
import { recordClick, recordDone } from '../../db/action-events';
import type { Sql } from '../../db/client';
import { campaignReplyToken } from '../../db/letters';
import { issuesFromZod } from '../../domain/definition-error';
import {
  type LetterRequest,
  letterRequestSchema,
  letterSubject,
  signature,
  targetLanguage,
  withoutContacts,
} from '../../domain/letter';
import { type ActionContext, loadActionContext } from '../action-page/load';
import {
  ActionNotFoundPage,
  ActionPage,
  type ActionPageProps,
  type LetterFormState,
} from '../action-page/page';
import type { ActionLocale } from '../action-page/text';
import type { AppDeps, AppEnv } from '../context';
import { notFound, ProblemError, problemBody, problemResponse } from '../errors/problem';
import { clientIp, TokenBuckets } from '../middleware/rate-limit';
import { problem } from '../schemas/common';
import { type LetterOutcome, sendLetter } from '../services/letter-send';

const NO_STORE = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' };
/** Letters a token may post per minute, and a client address (several supporters behind one NAT). */
export const LETTERS_PER_TOKEN_PER_MIN = 10;
export const LETTERS_PER_IP_PER_MIN = 60;

/** Strict CSP: nothing but our own inline style (by nonce) and forms posting back here. */
const csp = (nonce: string) =>
  `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const localeOf = (c: Context, fallback: ActionLocale): ActionLocale => {
  const q = c.req.query('lang');
  return q === 'en' || q === 'km' ? q : fallback;
};

/** The hosted action page (or its 404), as a full HTML response. */
export async function actionPageResponse(
  c: Context,
  props: Omit<ActionPageProps, 'nonce'> | undefined,
  status: 200 | 400 | 404 | 409 | 429 = 200,
) {
  const nonce = randomBytes(16).toString('base64');
  const body = props ? <ActionPage {...props} nonce={nonce} /> : <ActionNotFoundPage nonce={nonce} />;
  return c.html(`<!doctype html>${await body.toString()}`, props ? status : 404, {
    ...NO_STORE,
    'content-security-policy': csp(nonce),
  });
}

/** `Organization <alerts@…>` from RESEND_FROM's address; the reply address on the same domain. */
function addresses(fromConfig: string, orgName: string, replyToken: string) {
  const address = (/<([^>]+)>/.exec(fromConfig)?.[1] ?? fromConfig).trim();
  const domain = address.split('@')[1] ?? 'example.org';
  const name = orgName.replace(/["<>\r\n]/g, '').trim();
  return { from: name ? `"${name}" <${address}>` : address, replyTo: `reply+${replyToken}@${domain}` };
}

/** The reply address of a campaign: `reply+<token>@<sending domain>`; created on first use. */
export async function replyAddress(sql: Sql, fromConfig: string, orgId: string, campaignId: string) {
  return addresses(fromConfig, '', await campaignReplyToken(sql, orgId, campaignId)).replyTo;
}

type LetterResult =
  | { ok: true; sent: number }
  | { ok: false; status: 400 | 409; errors: Array<{ path: string; message: string }> };

/** Validates a letter request against the case and sends one email per chosen target. */
async function sendLetters(
  deps: AppDeps,
  email: () => EmailChannel,
  ctx: ActionContext,
  input: unknown,
): Promise<LetterResult> {
  const parsed = letterRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, errors: issuesFromZod(parsed.error) };
  const req: LetterRequest = parsed.data;
  const errors: Array<{ path: string; message: string }> = [];
  const chosen = req.targets.map((key, i) => {
    const target = ctx.targets.find((t) => t.key === key);
    if (!target) errors.push({ path: `targets.${i}`, message: 'is not a target of this case' });
    else if (!target.email)
      errors.push({ path: `targets.${i}`, message: 'has no email address to write to' });
    return target;
  });
  if (errors.length > 0) return { ok: false, status: 400, errors };
  if (!ctx.open) throw new ProblemError('appeal-closed', 'This appeal has closed');
  const again = req.targets.flatMap((key, i) =>
    ctx.written.has(key)
      ? [{ path: `targets.${i}`, message: 'you have already written to this target' }]
      : [],
  );
  if (again.length > 0) return { ok: false, status: 409, errors: again };
  const token = await campaignReplyToken(deps.sql, ctx.link.orgId, ctx.campaign.id);
  const { from, replyTo } = addresses(deps.config.RESEND_FROM, ctx.campaign.orgName, token);
  const cc = (ctx.case?.copies ?? []).flatMap((copy) => (copy.email ? [copy.email] : []));
  const contacts = { email: ctx.supporter.email, phone: ctx.supporter.phone };
  let sent = 0;
  for (const target of chosen) {
    if (!target?.email) continue;
    const locale = targetLanguage(target);
    const signed = signature(
      req.identity,
      { name: req.signerName || ctx.supporter.name, city: req.city },
      locale,
    );
    const text = withoutContacts(`${req.body.trim()}\n\n${signed}`, contacts);
    const outcome: LetterOutcome = await sendLetter(
      { sql: deps.sql, email: email() },
      {
        orgId: ctx.link.orgId,
        campaignId: ctx.campaign.id,
        supporterId: ctx.link.supporterId,
        stageRunId: ctx.link.stageRunId,
        identity: req.identity,
        target: { ...target, email: target.email },
        from,
        replyTo,
        cc,
        subject: letterSubject(ctx.case, target, ctx.caseName),
        text,
      },
    );
    if (outcome === 'sent') sent++;
  }
  if (sent === 0)
    return { ok: false, status: 409, errors: [{ path: 'targets', message: 'already written' }] };
  return { ok: true, sent };
}

/** Form posts carry `targets` once per chosen target; JSON carries the array. */
async function readLetterInput(c: Context): Promise<{ form: boolean; input: Record<string, unknown> }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return { form: false, input: (await c.req.json()) as Record<string, unknown> };
    } catch {
      throw new ProblemError('invalid-input', 'Body is not JSON');
    }
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const body = await c.req.parseBody({ all: true });
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
    return {
      form: true,
      input: {
        targets: list(body.targets),
        body: typeof body.body === 'string' ? body.body : undefined,
        identity: text(body.identity),
        ...(text(body.signerName) ? { signerName: body.signerName } : {}),
        ...(text(body.city) ? { city: body.city } : {}),
      },
    };
  }
  throw new ProblemError('unsupported-media-type', 'Send JSON or a form');
}

/**
 * POST /a/:token/letters (JSON → 202 `{ sent }`, a form → the page again), POST /a/:token/did-it
 * (the page's no-JavaScript "I did it"). Rate-limited per token and per client address.
 */
export function registerCaseLetterRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  const perToken = new TokenBuckets(LETTERS_PER_TOKEN_PER_MIN);
  const perIp = new TokenBuckets(LETTERS_PER_IP_PER_MIN);
  let channel: EmailChannel | undefined;
  const email = () => {
    // The same Resend client the email worker builds (RESEND_BASE_URL points it at the sandbox).
    channel ??= createResendEmailChannel({
      client: createResendClient({
        apiKey: required(deps.config, 'RESEND_API_KEY'),
        baseUrl: deps.config.RESEND_BASE_URL,
      }),
    });
    return channel;
  };

  app.post('/a/:token/letters', async (c) => {
    const token = c.req.param('token');
    const wantsHtml = !(c.req.header('content-type') ?? '').includes('json');
    const limited = [
      perToken.take(`t:${token}`),
      perIp.take(`ip:${clientIp(c, deps.config.RATE_LIMIT_TRUST_PROXY)}`),
    ].find((t) => !t.ok);
    const ctx = await loadActionContext(sql, token, new Date());
    if (!ctx) {
      if (wantsHtml) return actionPageResponse(c, undefined);
      throw notFound('Unknown link');
    }
    const locale = localeOf(c, ctx.link.locale);
    if (limited && !limited.ok) {
      c.header('retry-after', String(limited.retryAfterSec));
      if (wantsHtml) return actionPageResponse(c, { ctx, locale, notice: 'too_many' }, 429);
      return problemResponse(c, problemBody('rate-limited', `Retry after ${limited.retryAfterSec} s`));
    }
    const { form, input } = await readLetterInput(c);
    let result: LetterResult;
    try {
      result = await sendLetters(deps, email, ctx, input);
    } catch (err) {
      if (err instanceof ProviderError) {
        deps.log.warn({ kind: err.kind, code: err.code }, 'letter not sent');
        throw new ProblemError(
          'dependency-unavailable',
          'The email provider did not accept the letter; try again in a minute.',
        );
      }
      throw err;
    }
    if (!form) {
      if (result.ok) return c.json({ sent: result.sent }, 202, NO_STORE);
      return problemResponse(
        c,
        problemBody(
          result.status === 409 ? 'letter-already-sent' : 'invalid-input',
          result.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
          result.errors,
        ),
      );
    }
    if (result.ok) return c.redirect(`/a/${token}?lang=${locale}&sent=1`, 303);
    const target = Array.isArray(input.targets) ? String(input.targets[0] ?? '') : '';
    const state: LetterFormState = {
      target,
      values: {
        body: typeof input.body === 'string' ? input.body : undefined,
        identity: typeof input.identity === 'string' ? input.identity : undefined,
        signerName: typeof input.signerName === 'string' ? input.signerName : undefined,
        city: typeof input.city === 'string' ? input.city : undefined,
      },
      errors: Object.fromEntries(result.errors.map((e) => [e.path.replace(/\.\d+$/, ''), e.message])),
    };
    const fresh = (await loadActionContext(sql, token, new Date())) ?? ctx;
    return actionPageResponse(c, { ctx: fresh, locale, form: state }, result.status);
  });

  app.post('/a/:token/did-it', async (c) => {
    const ctx = await loadActionContext(sql, c.req.param('token'), new Date());
    if (!ctx) return actionPageResponse(c, undefined);
    await recordDone(sql, ctx.link, 'action_page');
    return actionPageResponse(c, { ctx, locale: localeOf(c, ctx.link.locale), notice: 'done' });
  });

  registerCaseLetterDocs(app);
}

/**
 * GET /a/:token for a campaign that hosts its action page: the page in the supporter's language
 * (`?lang=` switches), a click recorded for a real visit (not for the page shown after a send).
 */
export async function serveActionPage(c: Context, deps: AppDeps, ctx: ActionContext) {
  if (c.req.method === 'GET' && c.req.query('sent') === undefined)
    await recordClick(deps.sql, ctx.link, 'action_page');
  return actionPageResponse(c, {
    ctx,
    locale: localeOf(c, ctx.link.locale),
    ...(c.req.query('sent') !== undefined ? { notice: 'sent' as const } : {}),
  });
}

function registerCaseLetterDocs(app: OpenAPIHono<AppEnv>) {
  const param = [{ name: 'token', in: 'path' as const, required: true, schema: { type: 'string' as const } }];
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/a/{token}/letters',
    tags: ['supporter links'],
    summary:
      'Send the letter to the chosen targets through the network (JSON; the action page posts the same fields as a form). Records the action.',
    parameters: param,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['targets', 'body', 'identity'],
              properties: {
                targets: { type: 'array', items: { type: 'string' }, description: 'Target keys (t1, t2, …)' },
                body: { type: 'string', maxLength: 5000 },
                identity: { type: 'string', enum: ['full', 'first_name_city', 'network'] },
                signerName: { type: 'string', maxLength: 100 },
                city: { type: 'string', maxLength: 100, description: 'Required with first_name_city' },
              },
            },
          },
        },
      },
    },
    responses: {
      202: {
        description: '{ "sent": n }: one email per target, From the organization, Reply-To the campaign',
      },
      400: problem('Bad body, identity, or a target not in the case (each field named)', ['invalid-input']),
      404: problem('Unknown or expired link', ['not-found']),
      409: problem('A letter to this target was sent already, or the appeal has closed', [
        'letter-already-sent',
        'appeal-closed',
      ]),
      415: problem('Neither JSON nor a form', ['unsupported-media-type']),
      429: problem('Too many letters from this link or address', ['rate-limited']),
      503: problem('The email provider did not take the letter; try again', ['dependency-unavailable']),
    },
  });
}
