import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { WAREHOUSE_VERSION_FILE } from '@rollbook/etl';

/** A folder whose changes make a new warehouse version, walked `depth` levels of folders down. */
export interface WatchedFolder {
  dir: string;
  /** Folder levels below `dir` whose own change time counts; files are stat'ed down to `fileDepth`. */
  depth: number;
  /** Levels (0 = `dir` itself) whose files are stat'ed one by one (size, inode, mtime); -1 for none. */
  fileDepth: number;
}

/**
 * A cheap fingerprint of the warehouse on disk. Every load and purge commits by renames (ADR
 * 0002, `packages/etl/src/lake/commit.ts`): a rename changes the mtime of the folder it lands in,
 * the commit journal changes the data folder's, and a new file has a new inode. So the data
 * folder's own mtime, the folder mtimes down the partition levels and the mart files' identity
 * change whenever readers could see different data. Costs a few dozen `stat` calls.
 */
export function warehouseVersion(root: string, watched: WatchedFolder[]): string {
  const parts: string[] = [stamp(root)];
  for (const folder of watched) walk(folder.dir, 0, folder, parts);
  return parts.join('|');
}

/** The warehouse version file in the data folder: a new token each time a load commits (`@rollbook/etl`'s `commit()`). */
export { WAREHOUSE_VERSION_FILE };

/**
 * What a version is made of once the data folder has a version file: its token, and the stamps
 * (inode, size, times) of the data folder and of `stamped`; before the first commit wrote one (an
 * old data folder, or files put in place by hand), the full walk of `full` ({@link warehouseVersion}).
 */
export interface VersionSources {
  full: WatchedFolder[];
  stamped: string[];
}

/**
 * The warehouse version, cheaply: a returns load commits through the journal and writes a new
 * version file, so the partition folders need not be walked. Every writer holds the load lock
 * while it writes (`rollbook load` of any input, an upload, a purge), and the lock file, created
 * when it is taken and removed when it is released, changes the data folder's stamp: loads that
 * do not go through `commit()` (the school list, social care, published statistics: one file
 * each, renamed into place) and a purge (academic-year folders renamed away) are seen when they
 * end. One small read and a few `stat` calls, however many years and schools are loaded.
 */
export function currentWarehouseVersion(root: string, sources: VersionSources): string {
  let token: string;
  try {
    token = readFileSync(path.join(root, WAREHOUSE_VERSION_FILE), 'utf8').trim();
  } catch {
    return warehouseVersion(root, sources.full);
  }
  return [token, stamp(root), ...sources.stamped.map(stamp)].join('|');
}

function stamp(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return '-';
  }
}

function walk(dir: string, level: number, folder: WatchedFolder, parts: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    parts.push(`${dir}:-`);
    return;
  }
  parts.push(`${dir}:${stamp(dir)}`);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (level < folder.depth) walk(full, level + 1, folder, parts);
    } else if (level <= folder.fileDepth) {
      parts.push(`${full}:${stamp(full)}`);
    }
  }
}

export interface ResultCacheOptions {
  /** Most results kept (least recently used go first). */
  maxEntries: number;
  /** Most rows kept over all results. */
  maxRows: number;
}

/**
 * Query results kept while the warehouse version stays the same; emptied when it changes.
 * Identical queries running at once share one execution. Rows are handed out as copies, so a
 * caller that edits a row (e.g. to withhold a small number) cannot change what others get.
 */
export class ResultCache<Row extends object> {
  private version: string | undefined;
  private readonly entries = new Map<string, { rows: Promise<Row[]>; size: number }>();
  private rows = 0;

  constructor(private readonly options: ResultCacheOptions) {}

  async get(version: string, key: string, compute: () => Promise<Row[]>): Promise<Row[]> {
    if (version !== this.version) {
      this.entries.clear();
      this.rows = 0;
      this.version = version;
    }
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-inserted below: most recently used last
      this.entries.set(key, entry);
    } else {
      const created = { rows: compute(), size: 0 };
      entry = created;
      this.entries.set(key, created);
      created.rows.then(
        (rows) => {
          if (this.entries.get(key) !== created) return;
          created.size = rows.length;
          this.rows += rows.length;
          this.evict();
        },
        () => {
          if (this.entries.get(key) === created) this.entries.delete(key);
        },
      );
    }
    const rows = await entry.rows;
    return rows.map((row) => ({ ...row }));
  }

  /** Number of results held (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.rows <= this.options.maxRows) return;
      this.entries.delete(key);
      this.rows -= entry.size;
    }
  }
}
