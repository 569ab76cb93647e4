import { badRequest } from '../errors/problem';

/** Opaque page cursor: the last row's creation time and id. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw badRequest('Invalid cursor', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
  }
  return { createdAt, id };
}

/**
 * One page of rows fetched with `limit + 1` (the extra row only says another page exists), and the
 * cursor that continues after it, or null on the last page.
 */
export function cursorPage<T extends { created_at: Date; id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
}
