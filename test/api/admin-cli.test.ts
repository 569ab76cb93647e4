import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/client';
import { findToken } from '../../db/tenants';

// biome-ignore lint/suspicious/noExplicitAny: --json answers are read field by field
type Json = any;

const root = fileURLToPath(new URL('../../', import.meta.url));
let sql: Sql;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = inject('stackEnv').DATABASE_URL!;
  sql = await connectDatabase(databaseUrl, { connectTimeoutS: 10 });
});
afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

/** npm run admin -- …, as an operator runs it, against the test database. */
function admin(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string; json: Json }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'infra/admin.ts', ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env } },
      (err, stdout, stderr) => {
        let json: Json;
        try {
          json = JSON.parse(stdout);
        } catch {}
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
      },
    );
  });
}

describe('npm run admin', () => {
  it("invites an organization's first owner and prints the link; inviting a member again is refused", async () => {
    const org = await admin(['org:create', '--name', 'Owner network', '--json']);
    const orgId = org.json.id as string;
    const email = `first-owner-${randomUUID().slice(0, 8)}@example.org`;
    const out = await admin(['user:invite', '--org', orgId, '--email', email, '--role', 'owner']);
    expect(out.code, out.stderr).toBe(0);
    const link = /https?:\/\/\S+\/console\/invite\/[A-Za-z0-9_-]+/.exec(out.stdout)?.[0];
    expect(link, out.stdout).toBeTruthy();
    const [row] =
      await sql`select role, accepted_at from invitations where org_id = ${orgId} and email = ${email}`;
    expect(row).toEqual({ role: 'owner', accepted_at: null });
    const bad = await admin(['user:invite', '--org', orgId, '--email', 'not-an-email', '--role', 'owner']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--email');
  });

  it('creates an organization, a partner and tokens that authenticate; lists and revokes them', async () => {
    const org = await admin(['org:create', '--name', 'CLI network', '--region', 'KH', '--json']);
    expect(org.code, org.stderr).toBe(0);
    const orgId = org.json.id as string;
    const [row] = await sql`select name, default_region from organizations where id = ${orgId}`;
    expect(row).toEqual({ name: 'CLI network', default_region: 'KH' });

    const partner = await admin([
      'partner:create',
      '--org',
      orgId,
      '--name',
      'Allies',
      '--scopes',
      'case_alert',
      '--json',
    ]);
    expect(partner.code, partner.stderr).toBe(0);
    expect(partner.json.secret).toMatch(/^whsec_/);
    const [p] = await sql`select org_id, scopes from partners where id = ${partner.json.id}`;
    expect(p).toEqual({ org_id: orgId, scopes: ['case_alert'] });

    const organizer = await admin([
      'token:create',
      '--org',
      orgId,
      '--role',
      'organizer',
      '--label',
      'ops',
      '--expires-in-days',
      '30',
    ]);
    expect(organizer.code, organizer.stderr).toBe(0);
    const token = organizer.stdout.trim().split('\n').at(-1)!;
    const who = await findToken(sql, token);
    expect(who).toMatchObject({ orgId, role: 'organizer', partnerId: null });
    expect(organizer.stdout).toContain('shown once');

    const partnerToken = await admin([
      'token:create',
      '--org',
      orgId,
      '--role',
      'partner',
      '--partner',
      partner.json.id,
      '--json',
    ]);
    expect(partnerToken.code, partnerToken.stderr).toBe(0);
    expect(await findToken(sql, partnerToken.json.token)).toMatchObject({
      role: 'partner',
      partnerId: partner.json.id,
    });

    const list = await admin(['token:list', '--org', orgId]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(who!.tokenId);
    expect(list.stdout).toContain('ops');
    expect(list.stdout).not.toContain(token);
    expect(list.stdout).not.toContain(partnerToken.json.token);
    const listed = await admin(['token:list', '--org', orgId, '--json']);
    expect(listed.json.tokens.map((t: Json) => t.role).sort()).toEqual(['organizer', 'partner']);
    expect(JSON.stringify(listed.json)).not.toMatch(/hash|ua_/);
    expect(listed.json.tokens.find((t: Json) => t.role === 'organizer').expiresAt).not.toBeNull();

    const revoked = await admin(['token:revoke', '--id', who!.tokenId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await findToken(sql, token)).toBeUndefined();
    const again = await admin(['token:revoke', '--id', who!.tokenId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^admin: no active token/);
    const after = await admin(['token:list', '--org', orgId, '--json']);
    expect(after.json.tokens.find((t: Json) => t.id === who!.tokenId).revokedAt).not.toBeNull();
  });

  it('answers bad arguments with one line and exit status 2, and unknown ids with 1', async () => {
    const bad = await admin(['token:create', '--org', randomUUID(), '--role', 'superuser']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--role');

    const unknownOrg = await admin(['token:create', '--org', randomUUID(), '--role', 'organizer']);
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toMatch(/^admin: no organization/);

    const org = await admin(['org:create', '--name', 'Other', '--json']);
    const foreign = await admin([
      'token:create',
      '--org',
      org.json.id,
      '--role',
      'partner',
      '--partner',
      randomUUID(),
    ]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/no partner/);
  });

  it('says how to point at the dev database when DATABASE_URL is unset', async () => {
    const res = await admin(['token:list', '--org', randomUUID()], {
      DATABASE_URL: '',
      EMBEDDED_PG_PORT: '1',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('DATABASE_URL is not set');
    expect(res.stderr).toContain('postgres://postgres:postgres@127.0.0.1:1/campaigns');
  });
});
