import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../workers/workflows-path';

// `npm run bundle:workflows [-- FILE]`: the workflow bundle, built once per deploy in its own process,
// so workers started with WORKFLOW_BUNDLE=FILE never load webpack (and never hold its memory).
const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode({ workflowsPath });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(
  `workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB); start workers with WORKFLOW_BUNDLE=${out}`,
);
