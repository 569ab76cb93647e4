/**
 * postgres.js 3.4.9 can run a queued socket write after the connection closed and throw from a
 * setImmediate callback, which no caller can catch (porsager/postgres#1154, #1208; seen here when
 * PostgreSQL restarts under load). By then the driver has already rejected the affected queries
 * with CONNECTION_CLOSED, so the entry points swallow exactly that error instead of dying; any
 * other uncaught exception still ends the process. (A transaction's query after its connection
 * closed no longer writes at all, and the connection starts clean when it is opened again:
 * patches/postgres+3.4.9.patch.)
 */
export function isPostgresClosedSocketWrite(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    err.message.includes("reading 'write'") &&
    /postgres[/\\]src[/\\]connection\.js/.test(err.stack ?? '') &&
    (err.stack ?? '').includes('nextWrite')
  );
}

export function guardPostgresClosedSocketWrites(warn: (message: string) => void): void {
  process.on('uncaughtException', (err) => {
    if (isPostgresClosedSocketWrite(err)) {
      warn('postgres.js wrote to a closed connection (driver bug); its queries were already rejected');
      return;
    }
    console.error(err);
    process.exit(1);
  });
}
