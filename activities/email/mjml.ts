// mjml ships no types: the one call used here, as documented (https://documentation.mjml.io/#usage).
type Mjml2Html = (
  source: string,
  options: {
    validationLevel: 'strict' | 'soft' | 'skip';
    ignoreIncludes: boolean;
    keepComments: boolean;
    fonts: Record<string, string>;
  },
) => Promise<{ html: string; errors: Array<{ formattedMessage: string }> }>;

// Loading MJML takes over a second: only the email worker pays it, once, on its first email.
let loaded: Promise<Mjml2Html> | undefined;
const mjml2html = () => {
  loaded ??= import('mjml').then((m) => m.default as Mjml2Html);
  return loaded;
};

/**
 * HTML from MJML markup. Strict validation: a template error throws (a bug here, never the
 * organizer's text, which arrives escaped). mj-include is ignored, so no file is ever read; no web
 * font is linked.
 */
export async function renderMjml(source: string): Promise<string> {
  const render = await mjml2html();
  const { html, errors } = await render(source, {
    validationLevel: 'strict',
    ignoreIncludes: true,
    keepComments: false,
    // No web fonts: MJML would link Google Fonts for Roboto, telling a third party who opened the email.
    fonts: {},
  });
  if (errors.length > 0)
    throw new Error(`email template: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  return html;
}
