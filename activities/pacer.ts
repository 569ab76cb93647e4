/** Spaces calls evenly at `perSecond`, so one page never bursts past the provider's rate. */
export function createPacer(perSecond: number, now: () => number = Date.now) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async function pace(): Promise<void> {
    const t = now();
    const wait = next - t;
    next = Math.max(t, next) + interval;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
}
