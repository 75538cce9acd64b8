import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Duck, Params } from '../duckdb.js';
import { sqlString } from '../duckdb.js';

/**
 * Writes the result of `select` to `target` as zstd Parquet, atomically: DuckDB writes a temp file
 * in `tmpDir` (same file system), it is flushed to disk, then renamed over the target. A reader
 * sees the old file or the new one; a process killed mid-write leaves only a stray temp file.
 */
export async function writeParquetAtomic(
  duck: Duck,
  select: string,
  params: Params | undefined,
  target: string,
  tmpDir: string,
): Promise<void> {
  mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomUUID()}.parquet`);
  try {
    await duck.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`, params);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Removes temp files left behind by loads that were killed. Safe only when no load is running. */
export function clearTmp(tmpDir: string): void {
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
}

/**
 * Flushes files to disk, a few at a time on libuv's thread pool, so that the disk writes overlap
 * other work (a load flushes its lake files while DuckDB builds the mart). A commit's own fsync of
 * a file flushed here then finds nothing to write.
 */
export async function fsyncFiles(files: readonly string[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const handle = await open(files[next++]!, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
}
