import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ConsoleContext } from './env';
import { Layout, type Section } from './layout';
import type { ConsoleSession } from './session';

/** A whole console page: doctype, layout with navigation (when signed in), status code. */
export async function page(
  c: ConsoleContext,
  opts: {
    title: string;
    section: Section;
    status?: ContentfulStatusCode;
    signedIn?: boolean;
    passkeys?: boolean;
  },
  body: Child,
) {
  const session = opts.signedIn === false ? undefined : (c.get('session') as ConsoleSession | undefined);
  const html = (
    <Layout
      title={opts.title}
      nonce={c.get('nonce')}
      section={opts.section}
      csrf={session?.csrf}
      role={session?.role}
      passkeys={opts.passkeys}
    >
      {body}
    </Layout>
  );
  return c.html(`<!doctype html>${await html.toString()}`, opts.status ?? 200);
}

/** A short page for errors that are not about a form field (not found, session ended). */
export function messagePage(
  c: ConsoleContext,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  section: Section = 'campaigns',
) {
  return page(
    c,
    { title, section, status, signedIn: (c.get('session') as ConsoleSession | undefined) !== undefined },
    <>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/console/campaigns">Back to campaigns</a>
      </p>
    </>,
  );
}
