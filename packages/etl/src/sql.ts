import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `packages/etl`, whether this runs from `src/` (tests) or `dist/` (the CLI). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = new Map<string, string>();

/** Reads a reviewed SQL file from `packages/etl/sql/`. */
export function sqlFile(name: string, replacements: Record<string, string> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(PACKAGE_ROOT, 'sql', name), 'utf8');
    cache.set(name, text);
  }
  for (const [key, value] of Object.entries(replacements)) text = text.replaceAll(`{{${key}}}`, value);
  return text;
}
