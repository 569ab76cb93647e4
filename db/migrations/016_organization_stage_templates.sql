-- An organization's own wording of the prewritten stage templates (domain/stage-templates/).
-- `content` holds only the parts the organization replaced ({ "en": { "sms": "…" }, "km": { … } });
-- `revision` goes up with each change and is recorded on the stages a campaign launches with.
create table organization_stage_templates (
  org_id uuid not null references organizations(id) on delete cascade,
  template_id text not null check (template_id ~ '^[a-z_]+/[a-z0-9-]+$'),
  content jsonb not null,
  revision integer not null default 1 check (revision >= 1),
  updated_at timestamptz not null default now(),
  primary key (org_id, template_id)
);
