/**
 * The most of `times` (ms, any order) that fall in one window [t, t + 1000): what a provider that
 * counts calls in a sliding second would see at its busiest. Used by the two-workers bench and the
 * shared-rate tests.
 */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
