import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'esbuild';
import { workflowsPath } from '../workers/workflows-path';

// `npm run build [-- DIR]`: what a deployment runs, built once per release from the same commit
// (default dist/):
// - worker.mjs: the worker entry as one ES module (dependencies stay in node_modules), so a deployed
//   worker runs on plain node, without a TypeScript loader thread (about 30 MB of memory);
// - workflow-bundle.js: the workflow code for WORKFLOW_BUNDLE, so workers never load webpack.
const outDir = resolve(process.argv[2] ?? 'dist');
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: ['workers/main.ts'],
  outfile: join(outDir, 'worker.mjs'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
const { code } = await bundleWorkflowCode({ workflowsPath });
writeFileSync(join(outDir, 'workflow-bundle.js'), code);
console.log(`built ${join(outDir, 'worker.mjs')} and ${join(outDir, 'workflow-bundle.js')}`);
