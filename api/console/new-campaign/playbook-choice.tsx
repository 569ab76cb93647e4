import type { ConsoleContext } from '../env';
import { KIND_LABELS } from '../format';
import { Bi } from '../layout';
import { page } from '../render';
import { PLAYBOOK_KINDS, PLAYBOOK_PARAMS } from './playbook-form';

/** The first step of a new campaign: the list of playbooks, each linking to its form. */
export function playbookChoicePage(c: ConsoleContext) {
  return page(
    c,
    { title: 'New campaign', section: 'new' },
    <>
      <h1>
        <Bi en="New campaign" km="យុទ្ធនាការថ្មី" />
      </h1>
      <p>Choose a playbook, or build your own stage list (Custom).</p>
      <ul>
        {PLAYBOOK_KINDS.map((k) => (
          <li>
            <a href={`/console/campaigns/new?kind=${k}`}>
              <Bi en={KIND_LABELS[k]?.en ?? k} km={KIND_LABELS[k]?.km ?? ''} />
            </a>
            <p class="hint">{PLAYBOOK_PARAMS[k].summary}</p>
          </li>
        ))}
      </ul>
    </>,
  );
}
