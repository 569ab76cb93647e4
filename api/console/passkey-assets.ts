import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { ConsoleEnv } from './env';

// @simplewebauthn/browser's own browser build, served by the app (no CDN); read once at start.
const require = createRequire(import.meta.url);
const BROWSER_LIB = readFileSync(
  join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'),
  'utf8',
);

/**
 * Buttons with `data-passkey="register|authenticate"` run one WebAuthn ceremony: POST the enclosing
 * form's fields to `data-options`, pass the options to the browser, POST the answer to `data-verify`,
 * then follow `{ redirect }`. Problems show in #passkey-status (role=alert), in English and Khmer.
 */
const PASSKEY_SCRIPT = `(() => {
  const lib = window.SimpleWebAuthnBrowser;
  const status = document.getElementById('passkey-status');
  const say = (text) => { if (status) status.textContent = text; };
  const post = async (url, body, csrf) => {
    const res = await fetch(url, { method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf || '' }, body: JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.detail || json.title || ('HTTP ' + res.status));
    return json;
  };
  for (const button of document.querySelectorAll('[data-passkey]')) {
    button.addEventListener('click', async (event) => {
      event.preventDefault();
      const form = button.closest('form');
      if (form && !form.reportValidity()) return;
      const fields = form ? Object.fromEntries([...new FormData(form)].filter(([, v]) => typeof v === 'string')) : {};
      const csrf = button.dataset.csrf;
      button.disabled = true;
      say('');
      try {
        const { options } = await post(button.dataset.options, fields, csrf);
        let response;
        try {
          response = button.dataset.passkey === 'authenticate'
            ? await lib.startAuthentication({ optionsJSON: options })
            : await lib.startRegistration({ optionsJSON: options });
        } catch (err) {
          throw new Error('The passkey was not used (cancelled or not available on this device). · មិនបានប្រើ passkey ទេ។');
        }
        const done = await post(button.dataset.verify, { ...fields, response }, csrf);
        window.location.assign(done.redirect);
      } catch (err) {
        say(err.message);
        button.disabled = false;
      }
    });
  }
})();`;

export function registerPasskeyAssets(app: Hono<ConsoleEnv>) {
  const serve = (body: string) => () =>
    new Response(body, {
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' },
    });
  app.get('/assets/simplewebauthn-browser.js', serve(BROWSER_LIB));
  app.get('/assets/passkeys.js', serve(PASSKEY_SCRIPT));
}
