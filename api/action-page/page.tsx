import { raw } from 'hono/utils/html';
import { pick, pickList } from '../../domain/case-sheet';
import type { KeyedTarget } from '../../domain/case-targets';
import { IDENTITIES, LETTER_BODY_MAX, letterDraft, letterSubject } from '../../domain/letter';
import type { ActionContext } from './load';
import { ACTION_TEXT, type ActionLocale } from './text';

/** The posted letter form that failed, to show again with each error beside its field. */
export interface LetterFormState {
  target: string;
  values: { body?: string; identity?: string; signerName?: string; city?: string };
  errors: Record<string, string>;
}

export interface ActionPageProps {
  ctx: ActionContext;
  locale: ActionLocale;
  nonce: string;
  notice?: 'sent' | 'done' | 'too_many';
  form?: LetterFormState;
  /** Organizer preview in the console: forms are shown but post nowhere. */
  preview?: boolean;
}

// No third-party assets: system fonts only, with the Khmer fonts a phone or desktop already has.
const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Khmer","Khmer OS",sans-serif;max-width:42rem;margin:0 auto;padding:1rem;line-height:1.55;color:#1b1b1b;background:#fff}
:lang(km){font-family:"Noto Sans Khmer","Khmer OS","Khmer OS System",system-ui,sans-serif;line-height:1.9}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;border-bottom:3px solid #f5c400;padding-bottom:.5rem}
h1{font-size:1.5rem;margin:.8rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.ua{font-weight:700;letter-spacing:.02em}
.notice{padding:.6rem .8rem;border-radius:4px;background:#e7f6e7;border:1px solid #4a9a4a}
.notice.warn{background:#fff4e0;border-color:#c77f00}
.target{border:1px solid #ccc;border-radius:6px;padding:.8rem;margin:1rem 0}
.target h3{margin:.2rem 0;font-size:1.05rem}
.muted{color:#555;font-size:.92rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
textarea{width:100%;min-height:14rem;font:inherit;padding:.5rem}
input[type=text]{width:100%;font:inherit;padding:.4rem}
fieldset{border:0;padding:0;margin:.6rem 0}fieldset label{font-weight:400;display:flex;gap:.4rem;align-items:baseline}
button{font:inherit;padding:.55rem 1.1rem;margin-top:.6rem;border:1px solid #222;border-radius:4px;background:#f5c400;cursor:pointer}
.error{color:#a00000;font-weight:600;margin:.2rem 0}
[aria-invalid=true]{border:2px solid #a00000}
address{font-style:normal;white-space:pre-line}
`;

function mailto(target: KeyedTarget, subject: string, body: string, cc: string[]): string {
  const q = new URLSearchParams({ subject, body });
  if (cc.length > 0) q.set('cc', cc.join(','));
  return `mailto:${encodeURIComponent(target.email ?? '')}?${q.toString().replace(/\+/g, '%20')}`;
}

function FieldError(props: { id: string; message?: string }) {
  return props.message ? (
    <p class="error" id={props.id} role="alert">
      {props.message}
    </p>
  ) : null;
}

function LetterForm(props: ActionPageProps & { target: KeyedTarget }) {
  const { ctx, locale, target, form } = props;
  const t = ACTION_TEXT[locale];
  const mine = form?.target === target.key ? form : undefined;
  const err = (path: string) => mine?.errors[path];
  const id = (name: string) => `${name}-${target.key}`;
  const draft = letterDraft(ctx.case, target, ctx.caseName);
  const identity = mine?.values.identity ?? 'network';
  const copies = (ctx.case?.copies ?? []).flatMap((c) => (c.email ? [c.email] : []));
  if (ctx.written.has(target.key))
    return (
      <p class="notice" data-written={target.key}>
        {t.alreadySent}
      </p>
    );
  if (!target.email) return <p class="muted">{t.noEmail}</p>;
  if (!ctx.open) return null;
  return (
    <>
      <form
        method="post"
        action={props.preview ? undefined : `/a/${ctx.token}/letters?lang=${locale}`}
        data-letter={target.key}
      >
        <input type="hidden" name="targets" value={target.key} />
        <label for={id('body')}>{t.yourLetter}</label>
        <FieldError id={id('body-error')} message={err('body') ?? err('targets')} />
        <textarea
          id={id('body')}
          name="body"
          maxlength={LETTER_BODY_MAX}
          lang={target.language ?? 'en'}
          aria-invalid={err('body') ? 'true' : undefined}
          aria-describedby={err('body') ? id('body-error') : undefined}
        >
          {mine?.values.body ?? draft}
        </textarea>
        <fieldset>
          <legend>
            <strong>{t.signAs}</strong>
          </legend>
          <FieldError id={id('identity-error')} message={err('identity')} />
          {IDENTITIES.map((value) => (
            <label>
              <input type="radio" name="identity" value={value} checked={identity === value} />{' '}
              {t.identity[value]}
            </label>
          ))}
        </fieldset>
        <label for={id('signer')}>{t.signerName}</label>
        <FieldError id={id('signer-error')} message={err('signerName')} />
        <input
          type="text"
          id={id('signer')}
          name="signerName"
          maxlength={100}
          autocomplete="name"
          value={mine?.values.signerName ?? ctx.supporter.name ?? ''}
          aria-invalid={err('signerName') ? 'true' : undefined}
        />
        <label for={id('city')}>{t.city}</label>
        <FieldError id={id('city-error')} message={err('city')} />
        <input
          type="text"
          id={id('city')}
          name="city"
          maxlength={100}
          value={mine?.values.city ?? ''}
          aria-invalid={err('city') ? 'true' : undefined}
        />
        <p class="muted">{t.privacy}</p>
        <button type="submit">{t.send}</button>
      </form>
      <p>
        <a
          href={mailto(target, letterSubject(ctx.case, target, ctx.caseName), draft, copies)}
          data-mailto={target.key}
        >
          {t.mailto}
        </a>{' '}
        <span class="muted">({t.mailtoWarning})</span>
      </p>
    </>
  );
}

/** The hosted action page: the case, what to ask, whom to write to, a letter per target. */
export function ActionPage(props: ActionPageProps) {
  const { ctx, locale } = props;
  const t = ACTION_TEXT[locale];
  const sheet = ctx.case;
  const other: ActionLocale = locale === 'en' ? 'km' : 'en';
  const who = sheet?.persons?.map((p) => p.name).join(', ') || ctx.caseName || ctx.campaign.title;
  const concern = pick(sheet?.concern, locale);
  const background = pick(sheet?.background, locale);
  const actions = pickList(sheet?.recommendedActions, locale);
  const copies = sheet?.copies ?? [];
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${t.urgentAction}: ${who}`}</title>
        <style nonce={props.nonce}>{raw(CSS)}</style>
      </head>
      <body>
        <header>
          <span class="ua">
            {t.urgentAction}
            {sheet?.uaNumber ? ` · ${sheet.uaNumber}` : ''}
          </span>
          <a
            href={props.preview ? `?lang=${other}` : `/a/${ctx.token}?lang=${other}`}
            lang={other}
            hreflang={other}
          >
            {t.otherLanguage}
          </a>
        </header>
        <main>
          <h1>{who}</h1>
          {props.notice === 'sent' ? (
            <p class="notice" role="status">
              {t.sent}
            </p>
          ) : props.notice === 'done' ? (
            <p class="notice" role="status">
              {t.thanks}
            </p>
          ) : props.notice === 'too_many' ? (
            <p class="notice warn" role="alert">
              {t.tooMany}
            </p>
          ) : null}
          {props.form && Object.keys(props.form.errors).length > 0 ? (
            <p class="notice warn" role="alert">
              {t.errors} <a href={`#body-${props.form.target}`}>{props.form.target}</a>
            </p>
          ) : null}
          {!ctx.open ? <p class="notice warn">{t.appealClosed}</p> : null}
          {concern ? (
            <section>
              <h2>{t.concern}</h2>
              <p>{concern}</p>
            </section>
          ) : null}
          {background ? (
            <section>
              <h2>{t.background}</h2>
              {background.split(/\n{2,}/).map((p) => (
                <p>{p}</p>
              ))}
            </section>
          ) : null}
          {actions.length > 0 ? (
            <section>
              <h2>{t.actions}</h2>
              <ul data-recommended-actions>
                {actions.map((a) => (
                  <li>{a}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {sheet?.appealBy && ctx.open ? (
            <p>
              <strong>{t.appealBy}</strong> <time datetime={sheet.appealBy}>{sheet.appealBy}</time>
            </p>
          ) : null}
          {ctx.targets.length > 0 ? (
            <section>
              <h2>{t.targets}</h2>
              {ctx.targets.map((target) => (
                <article class="target" id={`target-${target.key}`} data-target={target.key}>
                  <h3>
                    {target.name}
                    {target.title ? <span class="muted"> · {target.title}</span> : null}
                  </h3>
                  {target.address ? <address>{target.address}</address> : null}
                  <LetterForm {...props} target={target} />
                </article>
              ))}
              {copies.length > 0 ? (
                <p class="muted">
                  {t.copies}: {copies.map((c) => c.name).join('; ')}
                </p>
              ) : null}
            </section>
          ) : null}
          {ctx.open ? (
            <section>
              <h2>{t.didIt}</h2>
              <p class="muted">{t.didItHint}</p>
              <form
                method="post"
                action={props.preview ? undefined : `/a/${ctx.token}/did-it?lang=${locale}`}
              >
                <button type="submit">{t.didIt}</button>
              </form>
            </section>
          ) : null}
          {ctx.externalUrl ? (
            <p>
              <a href={ctx.externalUrl} rel="noopener noreferrer">
                {t.external}
              </a>
            </p>
          ) : null}
        </main>
      </body>
    </html>
  );
}

/** The 404 page of a forged or expired link, in both languages (the supporter's is unknown). */
export function ActionNotFoundPage(props: { nonce: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>Not found</title>
        <style nonce={props.nonce}>{raw(CSS)}</style>
      </head>
      <body>
        <main>
          <p>{ACTION_TEXT.en.notFound}</p>
          <p lang="km">{ACTION_TEXT.km.notFound}</p>
        </main>
      </body>
    </html>
  );
}
