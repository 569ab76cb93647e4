import { hasKhmer } from '../../domain/khmer-normalize';

/** `2027-05-01 09:00 UTC`: organizers span time zones, so the console speaks UTC and says so. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;

export const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

export const KIND_LABELS: Record<string, { en: string; km: string }> = {
  case_alert: { en: 'Urgent Action case alert', km: 'សកម្មភាពបន្ទាន់' },
  election_boycott: { en: 'Election boycott countdown', km: 'ពហិការការបោះឆ្នោត' },
  sanctions_lobbying: { en: 'Sanctions lobbying', km: 'ការតស៊ូមតិដាក់ទណ្ឌកម្ម' },
  custom: { en: 'Custom', km: 'ផ្ទាល់ខ្លួន' },
};

export const kindLabel = (kind: string) => KIND_LABELS[kind]?.en ?? kind;

/** Stage statuses as an organizer reads a timeline: a pending stage is "scheduled". */
export const stageStatusLabel = (status: string) => (status === 'pending' ? 'scheduled' : status);

/** Who a widening adds, as the organizer named it: `partners, allies (not press)`. */
export function widenedToLabel(tags: { include: string[]; exclude?: string[] }): string {
  const not = tags.exclude?.length ? ` (not ${tags.exclude.join(', ')})` : '';
  return `${tags.include.join(', ')}${not}`;
}

/** Text with Khmer letters gets lang="km": the Khmer font stack and taller lines (styles.ts). */
export const langOf = (text: string | null | undefined) => (text && hasKhmer(text) ? 'km' : undefined);
