import { createHash } from 'node:crypto';
import { type Content, LOCALES } from '../../../domain/content-schema';
import type { FormValues } from '../env';
import type { OutlineStage } from './stage-outline';

/** Form rows are `stages.<i>.…`, the API's own paths, so its errors land beside the field. */
export const PARTS = ['sms', 'subject', 'body'] as const;
export const textPaths = (i: number) =>
  LOCALES.flatMap((l) => PARTS.map((p) => `stages.${i}.content.${l}.${p}`));

const norm = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();

/** Digest of one row's six texts: what the form was prefilled with, to tell an edit from the template. */
export function textDigest(v: FormValues, i: number): string {
  const texts = textPaths(i).map((p) => norm(v[p]));
  return createHash('sha256').update(JSON.stringify(texts)).digest('base64url').slice(0, 22);
}

/** The row's texts as stage content (blank parts left out), or undefined when all are blank. */
export function rowContent(v: FormValues, i: number): Content | undefined {
  const content: Content = {};
  for (const l of LOCALES) {
    const parts = Object.fromEntries(
      PARTS.map((p) => [p, norm(v[`stages.${i}.content.${l}.${p}`])]).filter(([, t]) => t !== ''),
    );
    if (Object.keys(parts).length > 0) content[l] = parts;
  }
  return Object.keys(content).length > 0 ? content : undefined;
}

function highestRow(v: FormValues): number {
  let max = -1;
  for (const k of Object.keys(v)) {
    const m = /^stages\.(\d+)\./.exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/**
 * Lines the submitted rows up with the playbook's stages by key. A row whose texts are still what
 * the form prefilled takes the template afresh (a changed election date reaches its text) and sends
 * no content, so the stage launches with its template and version; an edited row sends its texts.
 */
export function alignPlaybookRows(
  v: FormValues,
  outline: OutlineStage[],
): { values: FormValues; stages: Array<Record<string, unknown>> } {
  const byKey = new Map<string, number>();
  for (let j = 0; j <= highestRow(v); j++) {
    const key = v[`stages.${j}.key`];
    if (key) byKey.set(key, j);
  }
  const values: FormValues = Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('stages.')));
  const stages = outline.map((s, i) => {
    const j = byKey.get(s.key);
    const edited = j !== undefined && v[`stages.${j}.prefill`] !== textDigest(v, j);
    values[`stages.${i}.key`] = s.key;
    for (const l of LOCALES)
      for (const p of PARTS) {
        const path = `stages.${i}.content.${l}.${p}`;
        values[path] = edited ? (v[`stages.${j}.content.${l}.${p}`] ?? '') : (s.template?.[l]?.[p] ?? '');
      }
    const channel = (j !== undefined ? v[`stages.${j}.channel`] : undefined) || s.channel;
    values[`stages.${i}.channel`] = channel;
    values[`stages.${i}.prefill`] = edited ? v[`stages.${j}.prefill`]! : textDigest(values, i);
    const content = edited ? rowContent(values, i) : undefined;
    return { key: s.key, ...(content ? { content } : {}), ...(channel !== s.channel ? { channel } : {}) };
  });
  return { values, stages };
}
