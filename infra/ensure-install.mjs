// Runs before `npm run dev` and `npm test`: installs dependencies when node_modules is missing or
// older than package-lock.json, so a fresh clone needs no separate install step. Node built-ins only.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const lock = readFileSync('package-lock.json');
const want = createHash('sha256').update(lock).digest('hex');
const stampFile = 'node_modules/.campaigns-install-stamp';
const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (have !== want) {
  console.log('installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stampFile, want);
}
