/** Runs fn over items with at most `limit` in flight; the first failure stops new work and is rethrown. */
export async function forEachConcurrent<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let index = 0;
  let failure: unknown;
  const lane = async () => {
    while (failure === undefined && index < items.length) {
      const item = items[index++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
}
