import { z } from 'zod';

/**
 * Who is behind a change, as the audit log names it: an API `token`, a `partner` (signed webhook),
 * a `person` signed in to the console, or the `system` (a campaign workflow's escalation, a
 * provider's verdict). `id` is the token, partner or person id, or the system part's name.
 */
export const ACTOR_TYPES = ['token', 'partner', 'system', 'person'] as const;
export const actorTypeSchema = z.enum(ACTOR_TYPES);
export type ActorType = z.infer<typeof actorTypeSchema>;

export interface Actor {
  type: ActorType;
  id: string;
}

/** The campaign workflow, acting on its own rules (escalations). */
export const CAMPAIGN_WORKFLOW_ACTOR: Actor = { type: 'system', id: 'campaign-workflow' };
