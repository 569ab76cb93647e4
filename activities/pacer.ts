export interface Pacer {
  /** Resolves when the next call may go out. */
  (): Promise<void>;
  /** The provider said "later" (429): no lane starts a call before `ms` from now. */
  holdFor(ms: number): void;
}

/** Spaces calls evenly at `perSecond`, so one page never bursts past the provider's rate. */
export function createPacer(perSecond: number, now: () => number = Date.now): Pacer {
  const interval = 1000 / perSecond;
  let next = 0;
  const pace = async (): Promise<void> => {
    const t = now();
    const wait = next - t;
    next = Math.max(t, next) + interval;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
  return Object.assign(pace, {
    holdFor(ms: number) {
      next = Math.max(next, now() + ms);
    },
  });
}
