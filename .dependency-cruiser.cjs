// The dependency direction of the tree, checked by `npm test` (`npm run deps`).
// Layers from the bottom up; a folder may import only its own layer and the ones below it:
//   domain      pure vocabulary and rules (workflows import it): imports nothing of ours
//   core        config, logger, payload codec, Temporal connection, contact key
//   channels    provider adapters and the sandbox          db   queries and migrations
//   activities  side effects                               workflows  deterministic code
//   workers     worker entry points                        api  HTTP app and console
//   infra       dev stack, admin and migrate CLIs, build, test-prepare (the top: may import anything)
//   bench, chaos, fuzz, test: harnesses above everything.
const ours = [
  'domain',
  'core',
  'channels',
  'db',
  'activities',
  'workflows',
  'workers',
  'api',
  'infra',
  'bench',
  'chaos',
  'fuzz',
  'test',
];
const allowed = {
  domain: ['domain'],
  core: ['domain', 'core'],
  channels: ['domain', 'core', 'channels'],
  db: ['domain', 'core', 'db'],
  activities: ['domain', 'core', 'channels', 'db', 'activities'],
  // Workflows also see activity *types* (rule below); nothing else of ours.
  workflows: ['domain', 'workflows'],
  workers: ['domain', 'core', 'channels', 'db', 'activities', 'workflows', 'workers'],
  api: ['domain', 'core', 'channels', 'db', 'workflows', 'api'],
  infra: ['domain', 'core', 'channels', 'db', 'activities', 'workflows', 'workers', 'api', 'infra'],
};
const folders = (list) => `^(${list.join('|')})/`;

module.exports = {
  forbidden: [
    ...Object.entries(allowed).map(([layer, may]) => ({
      name: `layer-${layer}`,
      comment: `${layer}/ may import only ${may.join(', ')} (see .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: `^${layer}/` },
      to: {
        path: folders(ours.filter((f) => !may.includes(f) && !(layer === 'workflows' && f === 'activities'))),
      },
    })),
    {
      name: 'workflows-activity-types-only',
      comment: 'workflows/ may import activity types, never activity code (it runs in the workflow sandbox)',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', pathNot: '^activities/types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-activity-types-import-type',
      comment: 'workflows/ import activities/types.ts with `import type` only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'no module cycles (folder cycles are ruled out by the layers above)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.data|bench/results)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
  },
};
