import type { SupporterMessages } from '../api-client';
import { utc } from '../format';

const AUTO_REPLY_LABELS: Record<string, string> = {
  help: 'HELP answer',
  opt_out_confirmation: 'opt-out confirmation',
  opt_in_confirmation: 'opt-in confirmation',
  done_thank_you: 'thank-you for DONE',
};

/** One line of the history: what went out or came in, never its text. */
function historyLine(m: SupporterMessages['items'][number]): string {
  if (m.type === 'reply') return `reply understood as ${m.status.replace('_', ' ')}`;
  if (m.type === 'auto_reply') return `automatic ${AUTO_REPLY_LABELS[m.status] ?? m.status}`;
  return `${m.stageKey ?? 'campaign'} message, ${m.status}`;
}

export function MessageHistory(props: { messages: SupporterMessages['items'] }) {
  if (props.messages.length === 0) return <p class="muted">No message to or from this supporter yet.</p>;
  return (
    <ol class="history" aria-label="Messages, newest first">
      {props.messages.map((m) => (
        <li data-history={m.type}>
          <time datetime={m.at}>{utc(m.at)}</time> {m.direction === 'in' ? '←' : '→'}{' '}
          {m.channel.toUpperCase()}: {historyLine(m)}
          {m.segments ? ` (${m.segments} segment${m.segments === 1 ? '' : 's'})` : ''}
        </li>
      ))}
    </ol>
  );
}
