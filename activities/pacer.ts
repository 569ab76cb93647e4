export interface Pacer {
  /** Resolves when the next call may go out; the call counts as answered at once (prefer track). */
  (): Promise<void>;
  /** Runs one provider call when the limit allows, counting it against the limit until it is answered. */
  track<T>(call: () => Promise<T>): Promise<T>;
  /** The provider said "later" (429): no lane starts a call before `ms` from now. */
  holdFor(ms: number): void;
}

// Long waits are cut into steps so the activity keeps heartbeating (its timeout is seconds).
const STEP_MS = 2000;
// The provider counts calls in a sliding second, at the moment it takes each one.
const WINDOW_MS = 1000;
// After a pause (a page boundary) calls may catch up this much, within the window's limit.
const CATCH_UP_MS = 100;

/** Waits `ms`, calling `tick` at least every two seconds. */
export async function waitTicking(ms: number, tick: () => void = () => {}): Promise<void> {
  for (let left = ms; left > 0; left -= STEP_MS) {
    tick();
    await new Promise((r) => setTimeout(r, Math.min(left, STEP_MS)));
  }
}

/**
 * Spaces calls at `perSecond` and never lets more than `perSecond` of them fall in one provider
 * second: a call counts from its start until a second after its answer (the provider took it
 * somewhere in between), so network and event-loop jitter cannot push a second over the limit.
 */
export function createPacer(perSecond: number, opts: { now?: () => number; tick?: () => void } = {}): Pacer {
  const now = opts.now ?? Date.now;
  const tick = opts.tick ?? (() => {});
  const interval = 1000 / perSecond;
  const limit = Math.max(1, Math.floor(perSecond));
  let next = 0;
  let inFlight = 0;
  // Answer times still inside the window, oldest first: an array with a moving head.
  let answered: number[] = [];
  let head = 0;
  let turns: Promise<void> = Promise.resolve();
  let wakeOnAnswer: (() => void) | undefined;

  const expire = (t: number) => {
    while (head < answered.length && answered[head]! <= t - WINDOW_MS) head++;
    if (head > 1024) {
      answered = answered.slice(head);
      head = 0;
    }
  };
  const waitOrAnswer = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (wakeOnAnswer === done) wakeOnAnswer = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeOnAnswer = done;
    });

  // One caller decides at a time; the others queue behind it in order.
  const turn = async () => {
    for (;;) {
      const t = now();
      expire(t);
      const counted = inFlight + answered.length - head;
      const spacing = next - t;
      if (counted < limit && spacing <= 0) {
        next = Math.max(next + interval, t - CATCH_UP_MS);
        return;
      }
      // A slot frees when the oldest answer leaves the window; with none answered yet, at an answer.
      const oldest = answered[head];
      const full = counted < limit ? 0 : oldest === undefined ? WINDOW_MS : oldest + WINDOW_MS - t;
      const ms = Math.max(1, spacing, full);
      if (ms > STEP_MS) await waitTicking(ms, tick);
      else {
        tick();
        await waitOrAnswer(ms);
      }
    }
  };
  const take = () => {
    const mine = turns.then(turn);
    turns = mine;
    return mine;
  };

  const pace = async (): Promise<void> => {
    await take();
    answered.push(now());
  };
  return Object.assign(pace, {
    async track<T>(call: () => Promise<T>): Promise<T> {
      await take();
      inFlight++;
      try {
        return await call();
      } finally {
        inFlight--;
        answered.push(now());
        wakeOnAnswer?.();
      }
    },
    holdFor(ms: number) {
      next = Math.max(next, now() + ms);
    },
  });
}
