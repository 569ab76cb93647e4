/**
 * Coalesces concurrent lookups into one query: callers that ask while a query runs share the next
 * one, so lanes that each need a fresh answer cost one round trip per group, not one each.
 */
export function coalesce<K, V>(
  lookup: (keys: K[]) => Promise<Map<K, V>>,
): (key: K) => Promise<V | undefined> {
  let waiting: Array<{ key: K; resolve: (v: V | undefined) => void; reject: (err: unknown) => void }> = [];
  let busy = false;
  const drain = async () => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const found = await lookup([...new Set(group.map((w) => w.key))]);
        for (const w of group) w.resolve(found.get(w.key));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    busy = false;
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!busy) {
        busy = true;
        // Callers in this turn of the event loop join the first query too.
        setImmediate(() => void drain());
      }
    });
}
