import { fileURLToPath } from 'node:url';

/** The workflow bundle's entry: workers bundle it, tests bundle it once per file. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
