import { connect } from 'node:net';
import { inviteMember } from '../api/services/invitations';
import { ConfigError, loadConfig } from '../core/config';
import { publicBaseUrl } from '../core/runtime';
import { connectDatabase, type Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { listTokens, organizationExists, partnerOrg } from '../db/partners';
import { createOrganization, createPartner, createToken, revokeToken } from '../db/tenants';
import { type AdminCommand, parseAdminArgs, USAGE, UsageError } from './admin-args';

// Operator commands: organizations, API tokens and partners. Secrets are printed once, never stored in clear.

class AdminError extends Error {
  override name = 'AdminError';
}

const DEV_DATABASE_URL = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/campaigns`;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function missingDatabaseUrl(port: number): Promise<AdminError> {
  const url = DEV_DATABASE_URL(port);
  return new AdminError(
    (await listening(port))
      ? `DATABASE_URL is not set. A PostgreSQL is listening on 127.0.0.1:${port} (the dev stack's embedded one while npm run dev runs): DATABASE_URL=${url} npm run admin -- …`
      : `DATABASE_URL is not set: point it at the service's PostgreSQL (for the dev stack, start npm run dev and use ${url})`,
  );
}

const iso = (d: Date | null) => (d ? d.toISOString() : '-');

async function run(sql: Sql, command: AdminCommand): Promise<{ text: string; json: unknown }> {
  const needOrg = async (orgId: string) => {
    if (!(await organizationExists(sql, orgId))) throw new AdminError(`no organization ${orgId}`);
  };
  switch (command.name) {
    case 'help':
      return { text: USAGE, json: { usage: USAGE } };
    case 'org:create': {
      const id = await createOrganization(sql, { name: command.orgName, defaultRegion: command.region });
      return {
        text: `Created organization ${id} (default phone region ${command.region})`,
        json: { id, name: command.orgName, region: command.region },
      };
    }
    case 'token:create': {
      await needOrg(command.orgId);
      if (command.partnerId && (await partnerOrg(sql, command.partnerId)) !== command.orgId)
        throw new AdminError(`no partner ${command.partnerId} in organization ${command.orgId}`);
      const expiresAt = command.expiresInDays
        ? new Date(Date.now() + command.expiresInDays * 86_400_000)
        : undefined;
      const { id, token } = await createToken(sql, {
        orgId: command.orgId,
        role: command.role,
        partnerId: command.partnerId,
        label: command.label,
        expiresAt,
      });
      return {
        text: [
          `Created ${command.role} token ${id} for organization ${command.orgId}, expires ${expiresAt?.toISOString() ?? 'never'}`,
          'Token (shown once; store it now, it cannot be recovered):',
          token,
        ].join('\n'),
        json: {
          id,
          token,
          role: command.role,
          orgId: command.orgId,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      };
    }
    case 'token:revoke': {
      if (!(await revokeToken(sql, command.tokenId)))
        throw new AdminError(`no active token ${command.tokenId} (unknown or already revoked)`);
      return { text: `Revoked token ${command.tokenId}`, json: { id: command.tokenId, revoked: true } };
    }
    case 'token:list': {
      await needOrg(command.orgId);
      const rows = await listTokens(sql, command.orgId);
      const table = [
        ['ID', 'ROLE', 'PARTNER', 'LABEL', 'CREATED', 'EXPIRES', 'REVOKED'],
        ...rows.map((r) => [
          r.id,
          r.role,
          r.partner_id ?? '-',
          r.label || '-',
          iso(r.created_at),
          iso(r.expires_at),
          iso(r.revoked_at),
        ]),
      ];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      return {
        text: table
          .map((row) =>
            row
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          )
          .join('\n'),
        json: {
          tokens: rows.map((r) => ({
            id: r.id,
            role: r.role,
            partnerId: r.partner_id,
            label: r.label,
            createdAt: r.created_at.toISOString(),
            expiresAt: r.expires_at?.toISOString() ?? null,
            revokedAt: r.revoked_at?.toISOString() ?? null,
          })),
        },
      };
    }
    case 'user:invite': {
      await needOrg(command.orgId);
      const config = loadConfig();
      const invitation = await inviteMember(sql, {
        orgId: command.orgId,
        email: command.email,
        role: command.role,
        locale: command.locale,
        publicBaseUrl: publicBaseUrl(config),
      });
      return {
        text: [
          `Invited ${command.email} as ${command.role} of organization ${command.orgId}; the link works once, until ${invitation.expiresAt.toISOString()}.`,
          'Give them this link (opening it registers their first passkey):',
          invitation.url,
        ].join('\n'),
        json: { id: invitation.id, url: invitation.url, expiresAt: invitation.expiresAt.toISOString() },
      };
    }
    case 'partner:create': {
      await needOrg(command.orgId);
      const { id, secret } = await createPartner(sql, {
        orgId: command.orgId,
        name: command.partnerName,
        scopes: command.scopes,
      });
      return {
        text: [
          `Created partner ${id} in organization ${command.orgId} (may start: ${command.scopes.join(', ')})`,
          `Webhooks: POST /v1/webhooks/partners/${id} (Standard Webhooks) and /v1/webhooks/partners/${id}/osdi`,
          'Secret (shown once; give it to the partner now):',
          secret,
        ].join('\n'),
        json: { id, secret, orgId: command.orgId, scopes: command.scopes },
      };
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseAdminArgs>;
  try {
    parsed = parseAdminArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`admin: ${err.message} (npm run admin -- help)\n`);
    return 2;
  }
  if (parsed.command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let sql: Sql | undefined;
  try {
    const config = loadConfig();
    if (!config.DATABASE_URL) throw await missingDatabaseUrl(config.EMBEDDED_PG_PORT);
    sql = await connectDatabase(config.DATABASE_URL, {
      connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
      max: 2,
    });
    const applied = await migrate(sql);
    if (applied.length > 0) process.stderr.write(`applied migrations: ${applied.join(', ')}\n`);
    const out = await run(sql, parsed.command);
    process.stdout.write(`${parsed.json ? JSON.stringify(out.json) : out.text}\n`);
    return 0;
  } catch (err) {
    const known =
      err instanceof AdminError ||
      err instanceof ConfigError ||
      (err as Error).name === 'DatabaseUnreachableError' ||
      (err as Error).name === 'ProblemError';
    process.stderr.write(`admin: ${known ? (err as Error).message : `failed: ${(err as Error).message}`}\n`);
    return 1;
  } finally {
    await sql?.end({ timeout: 5 });
  }
}

process.exitCode = await main(process.argv.slice(2));
