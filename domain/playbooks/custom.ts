import type { PlaybookStages } from './types';

/** A custom campaign brings every stage in its request. */
export function customStages(): PlaybookStages {
  return { stages: [], issues: [] };
}
