import type { z } from 'zod';

/** One bad field, shaped like an entry of the problem+json `errors` array. */
export interface Issue {
  path: string;
  message: string;
}

/** A campaign definition that cannot run; `issues` names every bad field by its dotted path. */
export class DefinitionError extends Error {
  override name = 'DefinitionError';
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    // Campaign content shared by several stages would otherwise report the same problem once per stage.
    const unique = [...new Map(issues.map((i) => [`${i.path}\u0000${i.message}`, i])).values()];
    super(unique.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.issues = unique;
  }
}

export function joinPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

/** Zod issues as dotted paths; unknown keys are named one by one so each gets its own path. */
export function issuesFromZod(error: z.ZodError, prefix = ''): Issue[] {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    const base = joinPath(issue.path);
    const at = (p: string) => [prefix, p].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: at(base ? `${base}.${key}` : key), message: 'unknown field' });
      continue;
    }
    out.push({ path: at(base), message: issue.message });
  }
  return out;
}
