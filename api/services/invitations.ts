import type { EmailChannel } from '../../channels/email-channel';
import type { Sql } from '../../db/client';
import { createInvitation } from '../../db/invitations';
import { findPersonByEmail, type Locale, type MemberRole, membershipRole } from '../../db/people';
import { conflict } from '../errors/problem';
import { invitationEmail } from './invitation-mail';

/** The console page that accepts an invitation. */
export const invitationUrl = (publicBaseUrl: string, secret: string) =>
  `${publicBaseUrl}/console/invite/${secret}`;

/**
 * Invites an email address into an organization with a role: a single-use link valid 7 days, sent
 * through `mailer` when given (in the invitee's language: theirs when they have an account, else
 * `locale`). Inviting a member → ProblemError 409. When sending fails nothing is kept (one transaction).
 * Returns the link so operators (npm run admin, the dev stack) can print it.
 */
export async function inviteMember(
  sql: Sql,
  opts: {
    orgId: string;
    email: string;
    role: MemberRole;
    locale?: Locale;
    invitedBy?: string;
    publicBaseUrl: string;
    mailer?: { channel: EmailChannel; from: string };
  },
): Promise<{ id: string; expiresAt: Date; url: string }> {
  return sql.begin(async (tx) => {
    const existing = await findPersonByEmail(tx, opts.email);
    if (existing && (await membershipRole(tx, opts.orgId, existing.id)))
      throw conflict('This person is already a member of the organization');
    const locale = existing?.locale ?? opts.locale ?? 'en';
    const [org] = await tx<{ name: string }[]>`select name from organizations where id = ${opts.orgId}`;
    const { id, secret, expiresAt } = await createInvitation(tx, {
      orgId: opts.orgId,
      email: opts.email,
      role: opts.role,
      locale,
      invitedBy: opts.invitedBy,
    });
    const url = invitationUrl(opts.publicBaseUrl, secret);
    if (opts.mailer)
      await opts.mailer.channel.send(
        invitationEmail({
          id,
          to: opts.email.trim(),
          from: opts.mailer.from,
          orgName: org?.name ?? '',
          role: opts.role,
          locale,
          url,
          expiresAt,
        }),
      );
    return { id, expiresAt, url };
  });
}
