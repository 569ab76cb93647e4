import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganizationPatchSchema } from '../../api/routes/organization';
import { SupporterInputSchema } from '../../api/schemas/supporter';
import { caseUpdateSchema } from '../../domain/campaign-schema';
import { tryExpandDefinition } from '../../domain/playbooks';
import { stageEditSchema } from '../../domain/stage-schema';
import { type Service, startService } from '../support/service';

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as plain JSON
type Json = any;

// Every route of API.md, as OpenAPI paths.
const API_MD_ROUTES = [
  'POST /v1/supporters',
  'GET /v1/supporters/{id}',
  'DELETE /v1/supporters/{id}',
  'POST /v1/supporters/import',
  'POST /v1/campaigns',
  'POST /v1/campaigns/preview',
  'GET /v1/campaigns',
  'GET /v1/campaigns/{id}',
  'POST /v1/campaigns/{id}/pause',
  'POST /v1/campaigns/{id}/resume',
  'POST /v1/campaigns/{id}/cancel',
  'PATCH /v1/campaigns/{id}/stages/{key}',
  'POST /v1/campaigns/{id}/case-updates',
  'GET /a/{token}',
  'POST /a/{token}/done',
  'GET /u/{token}',
  'POST /u/{token}',
  'POST /v1/webhooks/partners/{partnerId}',
  'POST /v1/webhooks/partners/{partnerId}/osdi',
  'POST /v1/webhooks/twilio/status',
  'POST /v1/webhooks/twilio/inbound',
  'POST /v1/webhooks/resend',
  'GET /v1/organization',
  'PATCH /v1/organization',
  'GET /healthz',
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

let svc: Service;
let doc: Json;
beforeAll(async () => {
  svc = await startService({ roles: [] });
  const res = await svc.app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => {
  await svc?.stop();
});

function operations(): Array<{ key: string; method: string; path: string; op: Json }> {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
  );
}

const needsToken = (path: string) => path.startsWith('/v1/') && !path.startsWith('/v1/webhooks/');
const concretePath = (path: string) =>
  path.replace(/\{id\}/g, '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11').replace(/\{(\w+)\}/g, 'x');

/** The example a JSON request body shows: on the media type, or on its (referenced) schema. */
function bodyExample(op: Json): unknown {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0] as Json;
  if (first?.value !== undefined) return first.value;
  const ref = media.schema?.$ref?.split('/').pop();
  return media.schema?.example ?? (ref ? doc.components?.schemas?.[ref]?.example : undefined);
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document according to an independent validator', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    // The validator dereferences in place: hand it a copy.
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it('lists every route of API.md', () => {
    const documented = new Set(operations().map((o) => o.key));
    const missing = API_MD_ROUTES.filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });

  it('declares bearerAuth on every route that needs a token, and only there', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const wrong = operations()
      .filter(({ path, op }) => {
        const declares = (op.security ?? []).some((s: Json) => 'bearerAuth' in s);
        return needsToken(path) !== declares;
      })
      .map((o) => o.key);
    expect(wrong).toEqual([]);
  });

  it('matches behaviour: every route that declares security refuses a request without a token', async () => {
    const secured = operations().filter(({ op }) => (op.security ?? []).length > 0);
    expect(secured.length).toBeGreaterThan(10);
    for (const { key, method, path } of secured) {
      const res = await svc.app.request(concretePath(path), { method: method.toUpperCase() });
      expect(res.status, `${key}: ${await res.text()}`).toBe(401);
    }
  });

  it('documents every error answer as application/problem+json', () => {
    const wrong: string[] = [];
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        // API.md gives /healthz's 503 the health body itself, naming what is down.
        if (Number(status) < 400 || !response.content || key === 'GET /healthz') continue;
        const types = Object.keys(response.content);
        if (types.join() !== 'application/problem+json') wrong.push(`${key} ${status}: ${types.join()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the refusal codes of every error answer, each one a documented problem type', () => {
    const all: string[] = doc.components.schemas.ProblemCode.enum;
    expect(all).toEqual(expect.arrayContaining(['stage-started', 'campaign-ended', 'unknown-stage']));
    for (const code of all)
      expect(doc.components.schemas.ProblemCode.description).toContain(`/problems/${code}`);
    /** The codes a problem schema allows: its own narrowed enum, or every code through Problem. */
    const codesOf = (schema: Json): string[] => {
      if (schema.$ref) return codesOf(doc.components.schemas[schema.$ref.split('/').pop()]);
      const code = schema.properties?.code;
      if (code?.enum) return code.enum;
      if (code?.$ref) return codesOf(code);
      const parts = (schema.allOf ?? []).map(codesOf).filter((c: string[]) => c.length > 0);
      return parts.length ? parts.reduce((a: string[], b: string[]) => a.filter((c) => b.includes(c))) : [];
    };
    const wrong: string[] = [];
    const byRoute: Record<string, string[]> = {};
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const media = response.content?.['application/problem+json'];
        if (!media) continue;
        const codes = codesOf(media.schema);
        byRoute[`${key} ${status}`] = codes;
        if (codes.length === 0 || codes.some((c) => !all.includes(c)))
          wrong.push(`${key} ${status}: ${codes}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(byRoute['PATCH /v1/campaigns/{id}/stages/{key} 409']).toEqual(
      expect.arrayContaining(['stage-started', 'campaign-ended', 'campaign-not-running']),
    );
    expect(byRoute['PATCH /v1/campaigns/{id}/stages/{key} 404']).toContain('unknown-stage');
    expect(byRoute['POST /v1/supporters 409']).toEqual(['supporter-conflict']);
  });

  it('shows a valid example on every JSON request body', () => {
    const bodies = operations().filter(
      ({ op, path }) => op.requestBody?.content?.['application/json'] && needsToken(path),
    );
    expect(bodies.map((b) => b.key)).toEqual(
      expect.arrayContaining(['POST /v1/supporters', 'POST /v1/campaigns']),
    );
    for (const { key, op } of bodies) expect(bodyExample(op), key).toBeDefined();
    const example = (key: string) => bodyExample(operations().find((o) => o.key === key)!.op);

    const supporter = SupporterInputSchema.safeParse(example('POST /v1/supporters'));
    expect(supporter.success, JSON.stringify(supporter.error?.issues)).toBe(true);
    for (const key of ['POST /v1/campaigns', 'POST /v1/campaigns/preview']) {
      const expanded = tryExpandDefinition(example(key), { now: new Date('2027-01-01T00:00:00Z') });
      expect(expanded.ok, `${key}: ${JSON.stringify(expanded)}`).toBe(true);
    }
    const edit = stageEditSchema.safeParse(example('PATCH /v1/campaigns/{id}/stages/{key}'));
    expect(edit.success, JSON.stringify(edit.error?.issues)).toBe(true);
    const update = caseUpdateSchema.safeParse(example('POST /v1/campaigns/{id}/case-updates'));
    expect(update.success, JSON.stringify(update.error?.issues)).toBe(true);
    const settings = OrganizationPatchSchema.safeParse(example('PATCH /v1/organization'));
    expect(settings.success, JSON.stringify(settings.error?.issues)).toBe(true);
  });

  it("uses API.md's case_alert launch as the campaign example", () => {
    const campaign = bodyExample(operations().find((o) => o.key === 'POST /v1/campaigns')!.op);
    expect(campaign).toMatchObject({
      kind: 'case_alert',
      title: 'Free Kem Sokha',
      params: { caseName: 'Kem Sokha', caseNumber: 'UA 12/23' },
      content: { en: expect.any(Object), km: expect.any(Object) },
      action: {
        url: expect.stringMatching(/^https:/),
        targets: [expect.objectContaining({ name: expect.any(String) })],
      },
      audience: { tags: { include: ['lowell'], exclude: [] } },
      options: { quietHours: true },
    });
  });
});

describe('the rendered reference at /docs', () => {
  it('is an HTML page that loads /openapi.json with same-origin assets only', async () => {
    const res = await svc.app.request('/docs');
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(page).toContain('href="/openapi.json"');
    // Nothing is fetched from another host: the page must render offline.
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const init = await svc.app.request('/docs/assets/init.js');
    expect(await init.text()).toContain("url: '/openapi.json'");

    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    for (const src of page.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)) {
      const asset = await svc.app.request(src[1]!);
      expect(asset.status, src[1]).toBe(200);
      expect((await asset.text()).length, src[1]).toBeGreaterThan(src[1]!.endsWith('init.js') ? 10 : 10_000);
    }
  });

  it("describes widenTo on escalations, the preview's ifWidened and the case-update audiences", () => {
    // Every schema object in the document, references resolved by walking the whole tree.
    const objects: Json[] = [];
    const walk = (v: Json) => {
      if (v === null || typeof v !== 'object') return;
      if (v.properties) objects.push(v);
      for (const child of Object.values(v)) walk(child);
    };
    walk(doc);
    const escalation = objects.find((o) => o.properties.ifActionRateBelow && o.properties.then);
    expect(escalation?.properties.widenTo?.properties?.tags, 'escalation.widenTo.tags').toBeDefined();
    expect(objects.some((o) => o.properties.ifWidened?.properties?.by)).toBe(true);
    const caseUpdate =
      doc.paths['/v1/campaigns/{id}/case-updates'].post.requestBody.content['application/json'];
    expect(JSON.stringify(caseUpdate)).toContain('"recipients","acted","all"');
  });

  it('serves no file outside the Swagger UI assets', async () => {
    for (const file of ['package.json', '..%2F..%2Fpackage.json', 'index.html']) {
      expect((await svc.app.request(`/docs/assets/${file}`)).status, file).toBe(404);
    }
  });
});
