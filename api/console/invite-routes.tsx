import type { Hono } from 'hono';
import { z } from 'zod';
import { acceptInvitation, readInvitation } from '../../db/invitations';
import { addMembership, ensurePerson, findPersonByEmail, normalEmail } from '../../db/people';
import { registrationOptions, storePasskey, verifyRegistration } from '../services/passkeys';
import {
  type AuthDeps,
  jsonProblem,
  setChallengeCookie,
  takeAttempt,
  takeChallengeCookie,
} from './auth-routes';
import type { ConsoleContext, ConsoleEnv } from './env';
import { noErrors, SelectField, TextField } from './form';
import { Bi } from './layout';
import { page } from './render';
import { signIn } from './sign-in';

const GONE = {
  unknown: {
    en: 'This invitation link is not valid. Check that you opened the whole link from the email, or ask an owner of your organization for a new invitation.',
    km: 'តំណអញ្ជើញនេះមិនត្រឹមត្រូវទេ។ សូមសុំការអញ្ជើញថ្មីពីម្ចាស់អង្គការរបស់អ្នក។',
  },
  expired: {
    en: 'This invitation has expired (links work for 7 days). Ask an owner of your organization for a new one.',
    km: 'ការអញ្ជើញនេះផុតកំណត់ហើយ (តំណប្រើបាន ៧ ថ្ងៃ)។ សូមសុំការអញ្ជើញថ្មី។',
  },
  used: {
    en: 'This invitation has already been used. If that was you, sign in with your passkey.',
    km: 'ការអញ្ជើញនេះត្រូវបានប្រើរួចហើយ។ បើជាអ្នក សូមចូលដោយប្រើ passkey របស់អ្នក។',
  },
} as const;

const Fields = z.object({
  email: z.string().trim().max(254),
  name: z.string().trim().min(1).max(100),
  locale: z.enum(['en', 'km']),
});
/** Same answer for a wrong email and a missing account: the page never tells who has one. */
const MISMATCH = 'This invitation was sent to another address. · ការអញ្ជើញនេះត្រូវបានផ្ញើទៅអាសយដ្ឋានផ្សេង។';

function gonePage(c: ConsoleContext, reason: keyof typeof GONE) {
  return page(
    c,
    { title: 'Invitation', section: 'login', signedIn: false, status: reason === 'unknown' ? 404 : 410 },
    <>
      <h1>
        <Bi en="Invitation" km="ការអញ្ជើញ" />
      </h1>
      <p role="alert" id="invitation-problem">
        {GONE[reason].en}
      </p>
      <p lang="km">{GONE[reason].km}</p>
      <p>
        <a href="/console/login">
          <Bi en="Sign in" km="ចូល" />
        </a>
      </p>
    </>,
  );
}

export function registerInviteRoutes(app: Hono<ConsoleEnv>, deps: AuthDeps) {
  const { sql, cookies, rp } = deps;

  app.get('/invite/:token', async (c) => {
    const state = await readInvitation(sql, c.req.param('token'));
    if (!state.ok) return gonePage(c, state.reason);
    const inv = state.invitation;
    const base = `/console/invite/${c.req.param('token')}`;
    return page(
      c,
      { title: 'Join', section: 'login', signedIn: false, passkeys: true },
      <>
        <h1>
          <Bi en={`Join ${inv.orgName}`} km={`ចូលរួមជាមួយ ${inv.orgName}`} />
        </h1>
        <p>
          <Bi
            en={`You are invited as ${inv.role}. Create a passkey on this device: it replaces a password and cannot be phished.`}
            km="អ្នកត្រូវបានអញ្ជើញ។ សូមបង្កើត passkey នៅលើឧបករណ៍នេះ ជំនួសពាក្យសម្ងាត់។"
          />
        </p>
        <form id="invite-form">
          <TextField
            path="email"
            label={<Bi en="Your email address (the one invited)" km="អ៊ីមែលរបស់អ្នក" />}
            value={inv.email}
            errors={noErrors()}
            required
          />
          <TextField path="name" label={<Bi en="Your name" km="ឈ្មោះរបស់អ្នក" />} errors={noErrors()} required />
          <SelectField
            path="locale"
            label={<Bi en="Language" km="ភាសា" />}
            value={inv.locale}
            errors={noErrors()}
            options={[
              { value: 'en', label: 'English' },
              { value: 'km', label: 'ខ្មែរ (Khmer)' },
            ]}
          />
          <p id="passkey-status" role="alert" class="error" />
          <button
            type="button"
            class="primary"
            id="create-passkey"
            data-passkey="register"
            data-options={`${base}/options`}
            data-verify={`${base}/verify`}
          >
            <Bi en="Create my passkey and join" km="បង្កើត passkey ហើយចូលរួម" />
          </button>
        </form>
      </>,
    );
  });

  app.post('/invite/:token/options', async (c) => {
    const state = await readInvitation(sql, c.req.param('token'));
    if (!state.ok) return jsonProblem(c, 410, 'Invitation not usable', GONE[state.reason].en);
    const fields = Fields.safeParse(await c.req.json().catch(() => ({})));
    if (!fields.success)
      return jsonProblem(c, 400, 'Invalid input', 'Enter your email address and your name.');
    if (normalEmail(fields.data.email) !== state.invitation.email) {
      takeAttempt(c, deps);
      return jsonProblem(c, 403, 'Refused', MISMATCH);
    }
    const existing = await findPersonByEmail(sql, state.invitation.email);
    const { options, challengeId } = await registrationOptions(sql, rp, {
      personId: existing?.id,
      invitationId: state.invitation.id,
      email: state.invitation.email,
      name: fields.data.name,
    });
    setChallengeCookie(c, cookies, challengeId);
    return c.json({ options });
  });

  app.post('/invite/:token/verify', async (c) => {
    const attempt = takeAttempt(c, deps);
    if (!attempt.ok)
      return jsonProblem(
        c,
        429,
        'Too many attempts',
        `Too many attempts; try again in ${attempt.retryAfter} s.`,
      );
    const state = await readInvitation(sql, c.req.param('token'));
    if (!state.ok) return jsonProblem(c, 410, 'Invitation not usable', GONE[state.reason].en);
    const inv = state.invitation;
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const fields = Fields.safeParse(body);
    if (!fields.success || normalEmail(fields.data.email) !== inv.email)
      return jsonProblem(c, 403, 'Refused', MISMATCH);
    const verified = await verifyRegistration(sql, rp, takeChallengeCookie(c, cookies), body.response);
    if (!verified || verified.challenge.invitation_id !== inv.id)
      return jsonProblem(
        c,
        400,
        'Passkey refused',
        'The passkey could not be verified; try again. · មិនអាចផ្ទៀងផ្ទាត់ passkey បានទេ។',
      );
    const personId = await sql.begin(async (tx) => {
      // Single use: of two tabs accepting at once, one wins and the other creates nothing.
      if (!(await acceptInvitation(tx, inv.id))) return undefined;
      const person = await ensurePerson(tx, {
        email: inv.email,
        name: fields.data.name,
        locale: fields.data.locale,
      });
      await tx`update people set locale = ${fields.data.locale} where id = ${person.id}`;
      await addMembership(tx, inv.orgId, person.id, inv.role);
      await storePasskey(tx as never, person.id, verified.credential, 'First passkey');
      return person.id;
    });
    if (!personId) return jsonProblem(c, 410, 'Invitation not usable', GONE.used.en);
    await sql`update memberships set last_sign_in_at = now() where org_id = ${inv.orgId} and person_id = ${personId}`;
    await signIn(c, { sql, cookies, limits: deps.limits }, personId, 'invitation');
    return c.json({ redirect: '/console/campaigns?welcome=1' });
  });
}
