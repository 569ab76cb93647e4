import { type Child, createContext, useContext } from 'hono/jsx';

/** The signed-in person's role while a page renders (set by Layout). */
export const RoleContext = createContext<string | undefined>(undefined);

/**
 * Renders its children (forms and buttons that change something) only for roles that may use them:
 * owners and organizers, or with `owner`, owners only. Viewers and translators see no such buttons.
 */
export function MayChange(props: { children: Child; owner?: boolean }) {
  const role = useContext(RoleContext);
  const ok = props.owner ? role === 'owner' : role === 'owner' || role === 'organizer';
  return ok ? <>{props.children}</> : null;
}
