import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

const hasKhmerFont = () => spawnSync('fc-list', [':lang=km'], { encoding: 'utf8' }).stdout?.trim().length > 0;

/**
 * The console's browser tests drive Debian's chromium (never a downloaded browser), and Khmer text
 * needs a Khmer font to render. Installs both with apt-get when missing and allowed (root), else
 * says what to install.
 */
export function ensureChromium(log: (line: string) => void): string {
  if (existsSync(CHROMIUM) && hasKhmerFont()) return CHROMIUM;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(
      `the console tests need ${CHROMIUM} and a Khmer font: apt-get install chromium fonts-khmeros`,
    );
  }
  log('installing chromium and fonts-khmeros with apt-get (first run only)…');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', 'chromium', 'fonts-khmeros'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return CHROMIUM;
}
