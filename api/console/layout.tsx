import type { Child } from 'hono/jsx';
import { raw } from 'hono/utils/html';
import { RoleContext } from './role-context';
import { SEGMENT_COUNTER_SCRIPT } from './segment-counter';
import { CONSOLE_CSS } from './styles';

export type Section =
  | 'campaigns'
  | 'new'
  | 'supporters'
  | 'settings'
  | 'login'
  | 'members'
  | 'activity'
  | 'account';

/** English label with its short Khmer translation beside it. */
export const Bi = (props: { en: string; km: string }) => (
  <>
    {props.en}
    <span class="km" lang="km">
      {props.km}
    </span>
  </>
);

export const CsrfField = (props: { csrf: string }) => <input type="hidden" name="_csrf" value={props.csrf} />;

export function Layout(props: {
  title: string;
  nonce: string;
  section: Section;
  csrf?: string;
  /** The signed-in person's role: navigation shows only what it may use. */
  role?: string;
  /** Load @simplewebauthn/browser and the passkey buttons' script. */
  passkeys?: boolean;
  children: Child;
}) {
  const changes = props.role === 'owner' || props.role === 'organizer';
  const nav = (section: Section, href: string, en: string, km: string) => (
    <a href={href} aria-current={props.section === section ? 'page' : undefined}>
      <Bi en={en} km={km} />
    </a>
  );
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Urgent Action console`}</title>
        <style nonce={props.nonce}>{raw(CONSOLE_CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Urgent Action console</span>
          {props.csrf ? (
            <>
              <nav aria-label="Main" class="row">
                {nav('campaigns', '/console/campaigns', 'Campaigns', 'យុទ្ធនាការ')}
                {changes ? nav('new', '/console/campaigns/new', 'New campaign', 'យុទ្ធនាការថ្មី') : null}
                {nav('supporters', '/console/supporters', 'Supporters', 'អ្នកគាំទ្រ')}
                {nav('activity', '/console/activity', 'Activity', 'សកម្មភាព')}
                {props.role === 'owner' ? nav('members', '/console/members', 'Members', 'សមាជិក') : null}
                {nav('settings', '/console/settings', 'Settings', 'ការកំណត់')}
                {nav('account', '/console/account', 'My account', 'គណនីរបស់ខ្ញុំ')}
              </nav>
              <form method="post" action="/console/logout">
                <CsrfField csrf={props.csrf} />
                <button type="submit">
                  <Bi en="Sign out" km="ចាកចេញ" />
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <RoleContext.Provider value={props.role}>{props.children}</RoleContext.Provider>
        </main>
        <script nonce={props.nonce}>{raw(SEGMENT_COUNTER_SCRIPT)}</script>
        {props.passkeys ? (
          <>
            <script nonce={props.nonce} src="/console/assets/simplewebauthn-browser.js" />
            <script nonce={props.nonce} src="/console/assets/passkeys.js" />
          </>
        ) : null}
      </body>
    </html>
  );
}
