import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/stack.js';

// infra/CONFIGURATION.md is the configuration reference (issue 10): every environment variable the
// programs, the scheduled-load script or the compose file read must have a row there.
const SOURCES = ['apps/api/src', 'apps/portal/src', 'packages/etl/src', 'packages/etl/bin', 'packages/metrics/src', 'scripts', 'infra'];
const PATTERNS = [
  /\bread\('([A-Z][A-Z0-9_]+)'\)/g, // apps/api config: read('KEY')
  /\bminutes\('([A-Z][A-Z0-9_]+)'/g, // apps/api config: minutes('KEY', …)
  /\benv\.([A-Z][A-Z0-9_]{2,})\b/g, // process.env.KEY, env.KEY
  /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
];
/** Shell scripts and compose files: ${KEY}, ${KEY:-default}, ${KEY:?message}. */
const SHELL_PATTERN = /\$\{([A-Z][A-Z0-9_]+)(?::?[-?][^}]*)?\}/g;
// Set by the shell or the images, not Rollbook settings.
const NOT_SETTINGS = new Set(['TZ', 'PATH', 'HOME', 'DEBIAN_FRONTEND', 'NODE_IMAGE']);

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|js|sh|yaml)$/.test(e.name) && !/\.test\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`));
}

describe('the configuration reference (infra/CONFIGURATION.md)', () => {
  const reference = readFileSync(path.join(ROOT, 'infra', 'CONFIGURATION.md'), 'utf8');
  const found = new Map<string, string>();
  for (const dir of SOURCES) {
    for (const file of files(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of /\.(sh|yaml)$/.test(file) ? [SHELL_PATTERN] : PATTERNS) {
        for (const match of text.matchAll(pattern)) {
          if (!NOT_SETTINGS.has(match[1]!) && !found.has(match[1]!)) found.set(match[1]!, path.relative(ROOT, file));
        }
      }
    }
  }

  it('finds the settings it should (the scan works)', () => {
    for (const key of ['DATABASE_URL', 'ROLLBOOK_DATA_DIR', 'API_URL', 'OIDC_ISSUER', 'SESSION_IDLE_MINUTES', 'POSTGRES_PASSWORD', 'ROLLBOOK_LOAD_INTERVAL_SECONDS']) {
      expect([...found.keys()], key).toContain(key);
    }
  });

  it('documents every variable that is read', () => {
    const missing = [...found].filter(([key]) => !reference.includes(`\`${key}\``)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('marks the secrets as secret', () => {
    for (const key of ['DATABASE_URL', 'OIDC_CLIENT_SECRET', 'POSTGRES_PASSWORD']) {
      const row = reference.split('\n').find((line) => line.startsWith(`| \`${key}\``));
      expect(row, key).toMatch(/\*\*yes\*\*/);
    }
  });
});
