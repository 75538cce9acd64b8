import { readFileSync } from 'node:fs';
import { sourcePath } from './paths.js';

/** Reads a `.sql` file from `apps/api/src/<segments>` (sources are not copied into `dist/`). */
export function readSql(...segments: string[]): string {
  return readFileSync(sourcePath(...segments), 'utf8');
}

/** A SQL string literal, for the few statements (DDL) that cannot take prepared parameters. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
