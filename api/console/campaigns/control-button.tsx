import { Bi, CsrfField } from '../layout';
import { MayChange } from '../role-context';

/** A one-button form posting pause, resume or cancel to /console/campaigns/:id/:action. */
export function Control(props: {
  id: string;
  action: 'pause' | 'resume' | 'cancel';
  csrf: string;
  en: string;
  km: string;
}) {
  return (
    <MayChange>
      <form method="post" action={`/console/campaigns/${props.id}/${props.action}`}>
        <CsrfField csrf={props.csrf} />
        <button type="submit" class={props.action === 'cancel' ? 'danger' : undefined}>
          <Bi en={props.en} km={props.km} />
        </button>
      </form>
    </MayChange>
  );
}
