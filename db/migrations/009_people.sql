-- Organizers are people: accounts, memberships with a role, invitations, passkeys, authenticator
-- apps, recovery codes and revocable console sessions (DESIGN.md section 10). API tokens stay for
-- scripts and partners, now with every member role and a last-used time.

create table people (
  id uuid primary key default gen_random_uuid(),
  -- Stored lower-case: one account per address.
  email text not null unique check (email = lower(email)),
  name text not null default '',
  locale text not null default 'en' check (locale in ('en', 'km')),
  -- Base32 RFC 6238 secret once confirmed; pending_totp_secret while the person is setting it up.
  totp_secret text,
  pending_totp_secret text,
  created_at timestamptz not null default now()
);

create table memberships (
  org_id uuid not null references organizations (id),
  person_id uuid not null references people (id) on delete cascade,
  role text not null check (role in ('owner', 'organizer', 'translator', 'viewer')),
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  primary key (org_id, person_id)
);
create index memberships_person on memberships (person_id);

create table invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organizations (id),
  email text not null check (email = lower(email)),
  role text not null check (role in ('owner', 'organizer', 'translator', 'viewer')),
  locale text not null default 'en' check (locale in ('en', 'km')),
  -- SHA-256 of the link's secret; the secret itself is only in the email.
  token_hash bytea not null unique,
  invited_by uuid references people (id) on delete set null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index invitations_org on invitations (org_id, email);

create table passkeys (
  -- The WebAuthn credential id, base64url.
  id text primary key,
  person_id uuid not null references people (id) on delete cascade,
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  name text not null default '',
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_person on passkeys (person_id);

create table recovery_codes (
  person_id uuid not null references people (id) on delete cascade,
  -- SHA-256 of a 50-bit random code: high entropy, so a fast hash is enough.
  code_hash bytea not null,
  used_at timestamptz,
  primary key (person_id, code_hash)
);

-- One WebAuthn ceremony: its challenge, used once, for a few minutes.
create table webauthn_challenges (
  id uuid primary key default gen_random_uuid(),
  challenge text not null,
  purpose text not null check (purpose in ('register', 'authenticate')),
  person_id uuid references people (id) on delete cascade,
  invitation_id uuid references invitations (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz
);

create table sessions (
  -- SHA-256 of the cookie's secret: a database read never yields a usable cookie.
  id_hash bytea primary key,
  person_id uuid not null references people (id) on delete cascade,
  org_id uuid not null references organizations (id),
  csrf text not null,
  -- 'passkey' | 'totp' | 'recovery' | 'invitation'; a recovery session may only add a passkey
  -- when the organization requires passkeys.
  method text not null,
  device text not null default '',
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz
);
create index sessions_person on sessions (person_id) where ended_at is null;

alter table organizations add column require_passkey boolean not null default false;

alter table api_tokens drop constraint api_tokens_role_check;
alter table api_tokens
  add constraint api_tokens_role_check
    check (role in ('owner', 'organizer', 'translator', 'viewer', 'partner', 'admin')),
  add column last_used_at timestamptz,
  add column created_by uuid references people (id) on delete set null;
