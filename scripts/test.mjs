// `npm test`: everything the whole test suite needs, then the suite (Vitest, every workspace).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { checkNode, ensureBuilt, ensureInstalled, fail, say, sh } from './lib.mjs';

checkNode();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian packages the tests drive for real, and a file each one provides: Chromium for the browser
 * tests, PostgreSQL for server mode. Add a package here (with the file that proves it is installed) when a test needs one.
 */
const APT_PACKAGES = [
  { name: 'chromium', provides: CHROMIUM },
  // A real PostgreSQL server for the server-mode test (test/e2e/server-mode.test.ts): Debian 12's package.
  { name: 'postgresql', provides: '/usr/lib/postgresql/15/bin/postgres' },
  // pdftoppm and pdftotext read the targeting support meeting PDF pack (apps/api/src/modules/tsm/tsm-pdf.test.ts).
  { name: 'poppler-utils', provides: '/usr/bin/pdftoppm' },
];

const missing = APT_PACKAGES.filter((p) => !existsSync(p.provides));
if (missing.length > 0) {
  const names = missing.map((p) => p.name).join(' ');
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) {
    fail(`The tests need these Debian packages: ${names}. Install them with:\n    sudo apt-get update && sudo apt-get install -y ${names}\nthen run npm test again.`);
  }
  say(`Installing ${names} for the tests (apt-get, a minute or two)…`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', ...missing.map((p) => p.name)], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}
ensureInstalled();
ensureBuilt();
say('Running the test suite…');
sh('npx', ['vitest', 'run', ...process.argv.slice(2)], { env: { TZ: 'UTC', CHROMIUM_PATH: CHROMIUM } });
