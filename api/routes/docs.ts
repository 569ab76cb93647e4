import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { html } from 'hono/html';
import type { AppEnv } from '../context';

const DOC_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Campaign orchestration API',
    version: '0.1.0',
    description: 'Urgent Action, election-boycott and sanctions-lobbying campaigns over SMS and email.',
  },
};

/** API.md's case_alert launch: an Urgent Action with bilingual content and one playbook override. */
export const caseAlertExample = {
  kind: 'case_alert',
  title: 'Free Kem Sokha',
  params: { caseName: 'Kem Sokha', caseNumber: 'UA 12/23' },
  content: {
    en: {
      sms: 'Urgent Action: {{caseName}} ({{caseNumber}}) needs you. Act now: {{actionUrl}}',
      subject: 'Urgent Action: free {{caseName}}',
      body: 'Dear {{firstName}},\n\nPlease write to {{targets}} today: {{actionUrl}}\n\nUnsubscribe: {{unsubscribeUrl}}',
    },
    km: { sms: 'សកម្មភាពបន្ទាន់៖ សូមជួយ {{caseName}}។ {{actionUrl}}' },
  },
  action: {
    url: 'https://act.example.org/free-kem-sokha',
    targets: [{ name: 'H.E. Koeut Rith', title: 'Minister of Justice', email: 'minister@example.gov.kh' }],
  },
  audience: { tags: { include: ['lowell'], exclude: [] } },
  stages: [{ key: 'follow-up', at: { after: 'P3D' } }],
  options: { quietHours: true },
};

/** Request examples kept with the docs; a route that declares its own example keeps it. */
export const requestExamples: Record<string, unknown> = {
  'post /v1/campaigns': caseAlertExample,
  'post /v1/campaigns/preview': caseAlertExample,
  'patch /v1/campaigns/{id}/stages/{key}': {
    at: '2027-05-01T09:00:00Z',
    content: { en: { sms: 'Reminder: {{caseName}} still needs you. {{actionUrl}}' } },
  },
  'post /v1/campaigns/{id}/case-updates': {
    content: {
      en: { sms: 'Good news: {{caseName}} has been released. Thank you for acting.' },
      km: { sms: '{{caseName}} ត្រូវបានដោះលែងហើយ។ សូមអរគុណ។' },
    },
    audience: 'acted',
    resolution: 'released',
  },
};

type Doc = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;
type Media = { example?: unknown; examples?: unknown; schema?: { example?: unknown; $ref?: string } };

function withExamples(doc: Doc): Doc {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, { example?: unknown }>;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const example = requestExamples[`${method} ${path}`];
      const body = (op as { requestBody?: { content?: Record<string, Media> } }).requestBody;
      const media = body?.content?.['application/json'];
      if (example === undefined || !media || media.example !== undefined || media.examples !== undefined)
        continue;
      const ref = media.schema?.$ref?.split('/').pop();
      if (media.schema?.example !== undefined || (ref && schemas[ref]?.example !== undefined)) continue;
      media.example = example;
    }
  }
  return doc;
}

// Swagger UI's files ship in swagger-ui-dist and are served from here: no CDN, so /docs works offline.
const assetDir = () => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;
// Everything is same-origin; swagger-ui sets inline styles and uses data: images.
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Campaign orchestration API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"><noscript>The API reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

/** GET /openapi.json (OpenAPI 3.1, built once from the registered routes) and the rendered reference at /docs. */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>) {
  let doc: Doc | undefined;
  app.get('/openapi.json', (c) => {
    doc ??= withExamples(app.getOpenAPI31Document(DOC_CONFIG));
    return c.json(doc);
  });

  app.get('/docs', (c) => c.html(page, 200, { 'content-security-policy': DOCS_CSP }));

  const files = new Map<string, Promise<string>>();
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const headers = { 'cache-control': 'public, max-age=86400' };
    if (file === 'init.js')
      return c.body(INIT_JS, 200, { ...headers, 'content-type': ASSETS['swagger-ui-bundle.js']! });
    const type = ASSETS[file];
    if (!type) return c.notFound();
    let text = files.get(file);
    if (!text) {
      text = readFile(join(assetDir(), file), 'utf8').catch((err) => {
        files.delete(file);
        throw err;
      });
      files.set(file, text);
    }
    return c.body(await text, 200, { ...headers, 'content-type': type });
  });
}
