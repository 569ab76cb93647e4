import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteTemplateOverride, saveTemplateOverride, templateOverrides } from '../../db/stage-templates';
import { PLACEHOLDERS } from '../../domain/content-schema';
import {
  effectiveTemplate,
  LAUNCH_FIELDS,
  STAGE_TEMPLATES,
  type TemplateOverrides,
} from '../../domain/stage-templates';
import { templateOverrideSchema } from '../../domain/stage-templates/override-schema';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors/problem';
import { requireRole } from '../middleware/auth';
import { requireJson } from '../middleware/content-type';
import { errorResponses, json, security } from '../schemas/common';
import { audit } from '../services/audit';

const message = z.object({ sms: z.string(), subject: z.string(), body: z.string() });
const pair = z.object({ en: message, km: message });

export const StageTemplateSchema = z
  .object({
    id: z.string().openapi({ example: 'case_alert/follow-up' }),
    purpose: z.string(),
    version: z.number().int().openapi({ description: "The repository text's version" }),
    origin: z.enum(['repository', 'organization']),
    revision: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The organization's own wording's revision (null: the repository's)" }),
    content: pair.openapi({
      description: 'The text stages use: the organization’s parts over the repository’s',
    }),
    repository: pair.openapi({ description: 'The repository text, for comparison' }),
  })
  .openapi('StageTemplate');

const ListSchema = z
  .object({
    items: z.array(StageTemplateSchema),
    placeholders: z.array(z.string()).openapi({ description: 'Filled for each recipient when sent' }),
    launchFields: z.array(z.string()).openapi({ description: 'Filled from the campaign at launch' }),
  })
  .openapi('StageTemplateList');

const TemplateParams = z.object({
  kind: z
    .string()
    .max(40)
    .openapi({ param: { name: 'kind', in: 'path' }, example: 'case_alert' }),
  stage: z
    .string()
    .max(64)
    .openapi({ param: { name: 'stage', in: 'path' }, example: 'follow-up' }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/organization/stage-templates',
  tags: ['organization'],
  summary:
    'The prewritten stage texts, each as this organization has it (its own wording or the repository’s)',
  security,
  responses: { 200: json(ListSchema, 'Every template'), ...errorResponses },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/organization/stage-templates/{kind}/{stage}',
  tags: ['organization'],
  summary:
    'Word a template the organization’s own way (parts not given keep the repository’s); campaigns launched later use it',
  security,
  request: {
    params: TemplateParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: templateOverrideSchema,
          example: {
            content: {
              en: { sms: 'Reminder: {{caseName}} is still held. Please write today: {{actionUrl}}' },
              km: { sms: 'រំលឹក៖ {{caseName}} នៅតែត្រូវបានឃុំខ្លួន។ សូមសរសេរថ្ងៃនេះ៖ {{actionUrl}}' },
            },
          },
        },
      },
    },
  },
  responses: { 200: json(StageTemplateSchema, 'The template as stages will now use it'), ...errorResponses },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/organization/stage-templates/{kind}/{stage}',
  tags: ['organization'],
  summary: 'Return a template to the repository’s wording',
  security,
  request: { params: TemplateParams },
  responses: { 204: { description: 'Returned to the repository text' }, ...errorResponses },
});

/** One template as the organization has it. */
export function templateView(id: string, overrides: TemplateOverrides): z.infer<typeof StageTemplateSchema> {
  const base = STAGE_TEMPLATES.get(id)!;
  const effective = effectiveTemplate(id, overrides)!;
  return {
    id,
    purpose: base.purpose,
    version: base.version,
    origin: effective.ref.origin,
    revision: overrides[id]?.revision ?? null,
    content: effective.content,
    repository: base.content,
  };
}

const known = (kind: string, stage: string) => {
  const id = `${kind}/${stage}`;
  if (!STAGE_TEMPLATES.has(id)) throw notFound('No such template');
  return id;
};

/** GET, PUT and DELETE /v1/organization/stage-templates: the organization's own wording of the prewritten texts. */
export function registerStageTemplateRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  for (const path of ['/v1/organization/stage-templates', '/v1/organization/stage-templates/*']) {
    app.use(path, requireRole(sql, ['organizer', 'admin']));
    app.use(path, requireJson());
  }

  app.openapi(listRoute, async (c) => {
    const overrides = await templateOverrides(sql, c.get('principal').orgId);
    return c.json(
      {
        items: [...STAGE_TEMPLATES.keys()].map((id) => templateView(id, overrides)),
        placeholders: [...PLACEHOLDERS],
        launchFields: [...LAUNCH_FIELDS],
      },
      200,
    );
  });

  app.openapi(putRoute, async (c) => {
    const principal = c.get('principal');
    const { kind, stage } = c.req.valid('param');
    const id = known(kind, stage);
    const { content } = c.req.valid('json');
    await sql.begin(async (tx) => {
      await saveTemplateOverride(tx, principal.orgId, id, content);
      await audit(tx, principal, 'organization.stage_template', `template:${id}`, {
        parts: Object.entries(content).flatMap(([l, m]) => Object.keys(m ?? {}).map((p) => `${l}.${p}`)),
      });
    });
    return c.json(templateView(id, await templateOverrides(sql, principal.orgId)), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const principal = c.get('principal');
    const { kind, stage } = c.req.valid('param');
    const id = known(kind, stage);
    await sql.begin(async (tx) => {
      if (await deleteTemplateOverride(tx, principal.orgId, id))
        await audit(tx, principal, 'organization.stage_template_reset', `template:${id}`);
    });
    return c.body(null, 204);
  });
}
