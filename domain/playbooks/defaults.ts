/** Playbook numbers (DESIGN.md section 4); each is overridable by the params key of the same name. */
export const PLAYBOOK_DEFAULTS = {
  /** case_alert: escalate when under 20% of reached supporters have acted. */
  actionRateThreshold: 0.2,
  followUpAfter: 'P3D',
  escalationAfter: 'P7D',
  /** election_boycott: reminders before the election date; the report follows it. */
  countdown: ['P30D', 'P14D', 'P7D', 'P1D'],
  reportAfter: 'P2D',
  /** sanctions_lobbying: one ask per askEvery for this many weeks. */
  weeks: 8,
  askEvery: 'P1W',
} as const;
