import { sampleRss } from '../proc-memory';
import { FIRST_NAMES, LAST_NAMES, REGION_TAGS } from './seed-million';

export interface ImportMeasurement {
  /** Rows sent through POST /v1/supporters/import (a slice when below the scale). */
  rows: number;
  files: number;
  rowsPerFile: number;
  created: number;
  rejected: number;
  elapsedS: number;
  rowsPerS: number;
  /** The API process's resident memory: highest sample while importing, and its lifetime peak (VmHWM). */
  apiRssPeakMb: number;
  apiRssHwmMb: number | null;
  /** `scale` rows at the measured rate, in seconds (an extrapolation when `rows` < `scale`). */
  extrapolatedS: number;
  extrapolated: boolean;
}

/**
 * A valid North American number for row `i`, distinct for the first 8,000,000 rows: area code 978,
 * exchanges 200-999, lines 0000-9999 (libphonenumber accepts every one of them).
 */
function phoneOf(i: number): string {
  return `+1 978 ${200 + (Math.floor(i / 10_000) % 800)} ${String(i % 10_000).padStart(4, '0')}`;
}

/** Row `i` of a synthetic import file: the columns an export from another tool carries. */
function csvRow(i: number): string {
  const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(i * 13) % LAST_NAMES.length]!;
  // One row in 40 repeats the phone of a row 20 earlier, as a merged export does: it updates that
  // supporter or is rejected as a conflict. A quarter of the rows have no phone.
  const phone = phoneOf(i % 40 === 1 && i > 40 ? i - 20 : i);
  const email = `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.net`;
  const tags = `${REGION_TAGS[i % REGION_TAGS.length]};imported`;
  const locale = i % 5 < 3 ? 'km' : 'en';
  return `${first} ${last},${i % 4 === 0 ? '' : phone},${email},${locale},America/New_York,${tags},${i % 10 < 9 ? 'yes' : 'no'},yes`;
}

/**
 * Imports `rows` synthetic supporters through the API in files of `rowsPerFile` (the route's body
 * limit is 50 MiB; a row is about 110 bytes), one after another, sampling the API's RSS; `scale` is
 * the size to extrapolate to when `rows` is smaller.
 */
export async function measureImport(opts: {
  apiUrl: string;
  token: string;
  apiPid: number;
  rows: number;
  rowsPerFile: number;
  scale: number;
  log: (line: string) => void;
}): Promise<ImportMeasurement> {
  const header = 'name,phone,email,locale,timezone,tags,sms_consent,email_consent';
  const rss = sampleRss(opts.apiPid, 100);
  let created = 0;
  let rejected = 0;
  let files = 0;
  let elapsedMs = 0;
  for (let from = 1; from <= opts.rows; from += opts.rowsPerFile) {
    const to = Math.min(opts.rows, from + opts.rowsPerFile - 1);
    const lines = [header];
    for (let i = from; i <= to; i++) lines.push(csvRow(i));
    const body = `${lines.join('\n')}\n`;
    const t0 = performance.now();
    const res = await fetch(`${opts.apiUrl}/v1/supporters/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'text/csv' },
      body,
    });
    const answer = (await res.json()) as { created?: number; updated?: number; rejectedTotal?: number };
    elapsedMs += performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`import answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    created += answer.created ?? 0;
    rejected += answer.rejectedTotal ?? 0;
    files++;
    opts.log(`scale: imported rows ${from}-${to} (${((to / elapsedMs) * 1000).toFixed(0)} rows/s so far)`);
  }
  const mem = rss.stop();
  const rowsPerS = opts.rows / (elapsedMs / 1000);
  return {
    rows: opts.rows,
    files,
    rowsPerFile: opts.rowsPerFile,
    created,
    rejected,
    elapsedS: elapsedMs / 1000,
    rowsPerS,
    apiRssPeakMb: mem.sampledPeakMb,
    apiRssHwmMb: mem.hwmMb ?? null,
    extrapolatedS: opts.scale / rowsPerS,
    extrapolated: opts.rows < opts.scale,
  };
}
