import type { Supporter, SupporterMessages } from '../api-client';
import { langOf, utc } from '../format';
import { Bi, CsrfField } from '../layout';
import { MayChange } from '../role-context';
import { MessageHistory } from './message-history';

/** One supporter's page: details, message history and the erase button (unless erased). */
export function SupporterCard(props: { s: Supporter; messages: SupporterMessages['items']; csrf: string }) {
  const { s } = props;
  const row = (label: string, value: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
  return (
    <section aria-labelledby="supporter-h" data-supporter={s.id}>
      <h2 id="supporter-h" lang={langOf(s.name)}>
        {s.name ?? 'Unnamed supporter'}
      </h2>
      <table>
        <tbody>
          {row('Id', s.id)}
          {row('Phone', s.phone ?? '—')}
          {row('Email', s.email ?? '—')}
          {row('Language', s.locale === 'km' ? 'Khmer' : 'English')}
          {row('Time zone', s.timezone)}
          {row('Tags', s.tags.join(', ') || '—')}
          {row('Consent', `SMS ${s.consent.sms ? 'yes' : 'no'}, email ${s.consent.email ? 'yes' : 'no'}`)}
          {row('Opted out', `SMS ${utc(s.optedOut.sms)}, email ${utc(s.optedOut.email)}`)}
          {row('Suppression list', suppressionText(s))}
          {row('Erased', s.erased ? 'yes' : 'no')}
        </tbody>
      </table>
      <h3>Messages</h3>
      <MessageHistory messages={props.messages} />
      {s.erased ? null : (
        <MayChange>
          <form method="post" action={`/console/supporters/${s.id}/erase`} class="controls">
            <CsrfField csrf={props.csrf} />
            <button type="submit" class="danger">
              <Bi en="Erase this supporter" km="លុប" />
            </button>
            <span class="hint">
              Removes phone, email and name everywhere they are stored. This cannot be undone.
            </span>
          </form>
        </MayChange>
      )}
    </section>
  );
}

/** Why a channel stays opted out whatever consent says: the source of its suppression-list entry. */
function suppressionText(s: Supporter): string {
  const entry = (name: string, e: { source: string } | null | undefined) =>
    e ? `${name}: ${e.source.replace(/_/g, ' ')}` : undefined;
  const parts = [entry('SMS', s.suppressed?.sms), entry('email', s.suppressed?.email)];
  return parts.filter(Boolean).join(', ') || '—';
}
