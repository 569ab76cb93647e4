export interface Pacer {
  /** Resolves when the next call may go out. */
  (): Promise<void>;
  /** The provider said "later" (429): no lane starts a call before `ms` from now. */
  holdFor(ms: number): void;
}

// Long waits are cut into steps so the activity keeps heartbeating (its timeout is seconds).
const STEP_MS = 2000;

/** Waits `ms`, calling `tick` at least every two seconds. */
export async function waitTicking(ms: number, tick: () => void = () => {}): Promise<void> {
  for (let left = ms; left > 0; left -= STEP_MS) {
    tick();
    await new Promise((r) => setTimeout(r, Math.min(left, STEP_MS)));
  }
}

/** Spaces calls evenly at `perSecond`, so one page never bursts past the provider's rate. */
export function createPacer(perSecond: number, opts: { now?: () => number; tick?: () => void } = {}): Pacer {
  const now = opts.now ?? Date.now;
  const interval = 1000 / perSecond;
  let next = 0;
  const pace = async (): Promise<void> => {
    const t = now();
    const wait = next - t;
    next = Math.max(t, next) + interval;
    if (wait > 0) await waitTicking(wait, opts.tick);
  };
  return Object.assign(pace, {
    holdFor(ms: number) {
      next = Math.max(next, now() + ms);
    },
  });
}
