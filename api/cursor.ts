import { badRequest } from './problem';

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
