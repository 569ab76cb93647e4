import { describe, expect, it } from 'vitest';
import { cursorPage, decodeCursor } from '../../api/services/cursor';

const row = (n: number) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  created_at: new Date(Date.UTC(2026, 10, n)),
});

describe('cursorPage', () => {
  it('keeps `limit` rows and continues after the last of them when one more row came back', () => {
    const { page, nextCursor } = cursorPage([row(1), row(2), row(3)], 2);
    expect(page.map((r) => r.id)).toEqual([row(1).id, row(2).id]);
    expect(decodeCursor(nextCursor!)).toEqual({ createdAt: row(2).created_at.toISOString(), id: row(2).id });
  });

  it('has no next cursor on the last page', () => {
    expect(cursorPage([row(1), row(2)], 2).nextCursor).toBeNull();
    expect(cursorPage([], 2)).toEqual({ page: [], nextCursor: null });
  });
});
