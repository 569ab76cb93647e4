import type postgres from 'postgres';

/** A pool or a transaction: query functions that may run inside `sql.begin` take this. */
export type Queryable = postgres.ISql;
