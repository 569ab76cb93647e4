import { describe, expect, it } from 'vitest';
import { parseAdminArgs, UsageError } from '../../../infra/admin-args';

const ORG = '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11';
const PARTNER = '0b7e2d52-6a0e-4a8e-9a77-3c1d2f4e5a6b';

const usageError = (argv: string[]) => {
  try {
    parseAdminArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('admin command line', () => {
  it('reads each command with its options', () => {
    expect(parseAdminArgs(['org:create', '--name', 'Khmer Network', '--region', 'kh']).command).toEqual({
      name: 'org:create',
      orgName: 'Khmer Network',
      region: 'KH',
    });
    expect(parseAdminArgs(['org:create', '--name', 'N']).command).toMatchObject({ region: 'US' });
    expect(
      parseAdminArgs([
        'token:create',
        '--org',
        ORG,
        '--role',
        'partner',
        '--partner',
        PARTNER,
        '--label',
        'CI',
        '--expires-in-days',
        '30',
        '--json',
      ]),
    ).toEqual({
      command: {
        name: 'token:create',
        orgId: ORG,
        role: 'partner',
        partnerId: PARTNER,
        label: 'CI',
        expiresInDays: 30,
      },
      json: true,
    });
    expect(parseAdminArgs(['token:revoke', '--id', ORG]).command).toEqual({
      name: 'token:revoke',
      tokenId: ORG,
    });
    expect(parseAdminArgs(['token:list', '--org', ORG]).command).toEqual({ name: 'token:list', orgId: ORG });
    expect(
      parseAdminArgs([
        'partner:create',
        '--org',
        ORG,
        '--name',
        'P',
        '--scopes',
        'case_alert, election_boycott',
      ]).command,
    ).toEqual({
      name: 'partner:create',
      orgId: ORG,
      partnerName: 'P',
      scopes: ['case_alert', 'election_boycott'],
    });
    expect(parseAdminArgs(['partner:create', '--org', ORG, '--name', 'P']).command).toMatchObject({
      scopes: ['case_alert', 'election_boycott', 'sanctions_lobbying'],
    });
    expect(parseAdminArgs(['help']).command).toEqual({ name: 'help' });
    expect(parseAdminArgs(['token:list', '--help']).command).toEqual({ name: 'help' });
  });

  it('refuses bad arguments with one line naming the problem', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /command is required/],
      [['org:delete'], /unknown command "org:delete"/],
      [['org:create'], /--name is required/],
      [['org:create', '--name', 'N', '--region', 'USA'], /--region/],
      [['org:create', '--name', 'N', '--bogus', 'x'], /Unknown option '--bogus'/],
      [['org:create', '--name', 'N', '--org', ORG], /org:create does not take --org/],
      [['org:create', '--name', 'N', 'extra'], /unexpected argument "extra"/],
      [['token:create', '--org', 'acme', '--role', 'organizer'], /--org must be an id/],
      [['token:create', '--org', ORG, '--role', 'root'], /--role must be one of organizer, partner, admin/],
      [['token:create', '--org', ORG, '--role', 'partner'], /needs --partner/],
      [
        ['token:create', '--org', ORG, '--role', 'organizer', '--partner', PARTNER],
        /only for --role partner/,
      ],
      [['token:create', '--org', ORG, '--role', 'admin', '--expires-in-days', '0'], /--expires-in-days/],
      [['token:create', '--org', ORG, '--role', 'admin', '--expires-in-days', '1.5'], /--expires-in-days/],
      [['token:revoke'], /--id is required/],
      [['partner:create', '--org', ORG, '--name', 'P', '--scopes', 'case_alert,world_peace'], /--scopes/],
    ];
    for (const [argv, message] of cases) {
      const got = usageError(argv);
      expect(got, argv.join(' ')).toMatch(message);
      expect(got, argv.join(' ')).not.toContain('\n');
    }
  });
});
