import { parseArgs } from 'node:util';
import { CAMPAIGN_KINDS } from '../domain/campaign-schema';

export const ROLES = ['organizer', 'partner', 'admin'] as const;
export type AdminRole = (typeof ROLES)[number];

export type AdminCommand =
  | { name: 'help' }
  | { name: 'org:create'; orgName: string; region: string }
  | {
      name: 'token:create';
      orgId: string;
      role: AdminRole;
      partnerId?: string;
      label?: string;
      expiresInDays?: number;
    }
  | { name: 'token:revoke'; tokenId: string }
  | { name: 'token:list'; orgId: string }
  | { name: 'partner:create'; orgId: string; partnerName: string; scopes: string[] }
  | { name: 'user:invite'; orgId: string; email: string; role: MemberRole; locale: 'en' | 'km' };

export const MEMBER_ROLES = ['owner', 'organizer', 'translator', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  org:create     --name NAME [--region US]
                 Create an organization; --region is the default phone region (ISO 3166 alpha-2).
  token:create   --org ORG_ID --role organizer|partner|admin [--partner PARTNER_ID]
                 [--label LABEL] [--expires-in-days N]
                 Create an API token and print it once (only its hash is stored).
                 A partner token needs --partner.
  token:revoke   --id TOKEN_ID
  token:list     --org ORG_ID
                 Ids, roles, labels, created/expiry/revoked times; never token values or hashes.
  partner:create --org ORG_ID --name NAME [--scopes ${CAMPAIGN_KINDS.slice(0, 2).join(',')}]
                 Create a partner and print its webhook secret (whsec_…) once.
                 Scopes are the campaign kinds it may start (${CAMPAIGN_KINDS.join(', ')});
                 default: every playbook kind except custom.
  user:invite    --org ORG_ID --email EMAIL --role owner|organizer|translator|viewer [--locale en|km]
                 Invite a person and print the single-use sign-up link (valid 7 days); opening
                 it registers their first passkey. The first owner of an organization starts here.
  help           Show this text.

Options for every command:
  --json         Print the result as one JSON object.

Environment:
  DATABASE_URL   PostgreSQL of the service, e.g. postgres://user:pass@host:5432/campaigns
                 (the dev stack's embedded one: postgres://postgres:postgres@127.0.0.1:54329/campaigns).
Migrations are applied before each command. Exit status: 0 done, 1 failed, 2 bad arguments.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const OPTIONS = {
  name: { type: 'string' },
  region: { type: 'string' },
  org: { type: 'string' },
  role: { type: 'string' },
  partner: { type: 'string' },
  label: { type: 'string' },
  'expires-in-days': { type: 'string' },
  id: { type: 'string' },
  scopes: { type: 'string' },
  email: { type: 'string' },
  locale: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

const ALLOWED: Record<Exclude<AdminCommand['name'], 'help'>, Array<keyof typeof OPTIONS>> = {
  'org:create': ['name', 'region'],
  'token:create': ['org', 'role', 'partner', 'label', 'expires-in-days'],
  'token:revoke': ['id'],
  'token:list': ['org'],
  'partner:create': ['org', 'name', 'scopes'],
  'user:invite': ['org', 'email', 'role', 'locale'],
};

function required(values: Values, key: keyof typeof OPTIONS): string {
  const v = values[key];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${key} is required`);
  return v.trim();
}

function uuid(values: Values, key: 'org' | 'partner' | 'id'): string {
  const v = required(values, key);
  if (!UUID.test(v)) throw new UsageError(`--${key} must be an id (a UUID), got "${v}"`);
  return v.toLowerCase();
}

function text(values: Values, key: 'name' | 'label', max: number): string {
  const v = required(values, key);
  if (v.length > max) throw new UsageError(`--${key} is longer than ${max} characters`);
  return v;
}

function commandOf(name: string, values: Values): AdminCommand {
  switch (name) {
    case 'org:create': {
      const region = (values.region ?? 'US').trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(region))
        throw new UsageError(`--region must be a two-letter country code, got "${values.region}"`);
      return { name, orgName: text(values, 'name', 200), region };
    }
    case 'token:create': {
      const role = required(values, 'role') as AdminRole;
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const partnerId = values.partner === undefined ? undefined : uuid(values, 'partner');
      if (role === 'partner' && !partnerId)
        throw new UsageError('a partner token needs --partner PARTNER_ID');
      if (role !== 'partner' && partnerId) throw new UsageError('--partner is only for --role partner');
      let expiresInDays: number | undefined;
      if (values['expires-in-days'] !== undefined) {
        expiresInDays = Number(values['expires-in-days']);
        if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)
          throw new UsageError('--expires-in-days must be a whole number from 1 to 3650');
      }
      const label = values.label === undefined ? undefined : text(values, 'label', 200);
      return { name, orgId: uuid(values, 'org'), role, partnerId, label, expiresInDays };
    }
    case 'token:revoke':
      return { name, tokenId: uuid(values, 'id') };
    case 'token:list':
      return { name, orgId: uuid(values, 'org') };
    case 'partner:create': {
      const scopes = (values.scopes ?? 'case_alert,election_boycott,sanctions_lobbying')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = scopes.filter((s) => !(CAMPAIGN_KINDS as readonly string[]).includes(s));
      if (scopes.length === 0 || unknown.length > 0)
        throw new UsageError(`--scopes takes a comma-separated list of ${CAMPAIGN_KINDS.join(', ')}`);
      return {
        name,
        orgId: uuid(values, 'org'),
        partnerName: text(values, 'name', 200),
        scopes: [...new Set(scopes)],
      };
    }
    case 'user:invite': {
      const email = required(values, 'email');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
        throw new UsageError(`--email must be an email address, got "${email}"`);
      const role = required(values, 'role') as MemberRole;
      if (!MEMBER_ROLES.includes(role))
        throw new UsageError(`--role must be one of ${MEMBER_ROLES.join(', ')}`);
      const locale = (values.locale ?? 'en').trim();
      if (locale !== 'en' && locale !== 'km') throw new UsageError('--locale must be en or km');
      return { name, orgId: uuid(values, 'org'), email, role, locale };
    }
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

/** The command line as a command; UsageError (one line) for anything a user must fix. */
export function parseAdminArgs(argv: string[]): { command: AdminCommand; json: boolean } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message goes on to explain positional arguments; the first sentence is the point.
    throw new UsageError((err as Error).message.split(/\.\s|\n/)[0] ?? 'invalid arguments');
  }
  const values = parsed.values as Values;
  const json = values.json === true;
  const [name, ...extra] = parsed.positionals;
  if (name === undefined) throw new UsageError('a command is required');
  if (name === 'help' || values.help) return { command: { name: 'help' }, json };
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const allowed = ALLOWED[name as keyof typeof ALLOWED];
  if (allowed) {
    const stray = Object.keys(values).find(
      (k) => k !== 'json' && !allowed.includes(k as keyof typeof OPTIONS),
    );
    if (stray) throw new UsageError(`${name} does not take --${stray}`);
  }
  return { command: commandOf(name, values), json };
}
