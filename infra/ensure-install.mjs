// Runs before `npm run dev` and `npm test`: installs dependencies when node_modules is missing or
// was installed from another package-lock.json or other patches/ (applied by patch-package at
// install), so a fresh clone needs no separate install step. Node built-ins only.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const hash = createHash('sha256').update(readFileSync('package-lock.json'));
for (const name of existsSync('patches') ? readdirSync('patches').sort() : []) {
  hash.update(`\0${name}\0`).update(readFileSync(`patches/${name}`));
}
const want = hash.digest('hex');
const stampFile = 'node_modules/.campaigns-install-stamp';
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (have !== want) {
  console.log('installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stampFile, want);
}
