import type { TemplateOverride, TemplateOverrides } from '../domain/stage-templates';
import { jsonb } from './client';
import type { Queryable } from './queryable';

type Row = { template_id: string; content: TemplateOverride['content']; revision: number; updated_at: Date };

/** An organization's replacements of the prewritten stage templates, by template id. */
export async function templateOverrides(sql: Queryable, orgId: string): Promise<TemplateOverrides> {
  const rows = await sql<Row[]>`
    select template_id, content, revision, updated_at from organization_stage_templates where org_id = ${orgId}`;
  return Object.fromEntries(rows.map((r) => [r.template_id, { content: r.content, revision: r.revision }]));
}

/** Sets the organization's own wording of one template; the revision goes up by one each time. */
export async function saveTemplateOverride(
  sql: Queryable,
  orgId: string,
  templateId: string,
  content: TemplateOverride['content'],
): Promise<TemplateOverride> {
  const [row] = await sql<Row[]>`
    insert into organization_stage_templates (org_id, template_id, content)
    values (${orgId}, ${templateId}, ${sql.json(jsonb(content))})
    on conflict (org_id, template_id) do update
      set content = excluded.content, revision = organization_stage_templates.revision + 1, updated_at = now()
    returning template_id, content, revision, updated_at`;
  return { content: row!.content, revision: row!.revision };
}

/** Returns the template to the repository's wording; false when the organization had none of its own. */
export async function deleteTemplateOverride(sql: Queryable, orgId: string, templateId: string) {
  const rows = await sql`
    delete from organization_stage_templates where org_id = ${orgId} and template_id = ${templateId} returning 1`;
  return rows.length > 0;
}
