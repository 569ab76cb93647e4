// mjml ships no types; activities/email/mjml.ts types the one call it makes.
declare module 'mjml' {
  const mjml2html: unknown;
  export default mjml2html;
}
