// `npm test`: everything the whole test suite needs, then the suite (Vitest, every workspace).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { checkNode, ensureBuilt, ensureInstalled, fail, say, sh } from './lib.mjs';

checkNode();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt) {
    fail(`The browser tests need Chromium at ${CHROMIUM}. Install it with:\n    sudo apt-get update && sudo apt-get install -y chromium\n(or set CHROMIUM_PATH), then run npm test again.`);
  }
  say('Installing Chromium for the browser tests (apt-get, about a minute)…');
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}
ensureInstalled();
ensureBuilt();
say('Running the test suite…');
sh('npx', ['vitest', 'run', ...process.argv.slice(2)], { env: { TZ: 'UTC', CHROMIUM_PATH: CHROMIUM } });
