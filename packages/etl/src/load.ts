import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { withDuck } from './duckdb.js';
import { ensureLayout, type DataLayout } from './layout.js';
import { InputRejectedError, type Problem } from './problems.js';
import { detectSchoolList, loadSchoolList } from './school-list/load-school-list.js';
import { loadReturn, type ReturnReport } from './returns/load-return.js';
import { isReturnFolder, returnFilesFromFolder, returnFilesFromZip } from './returns/source.js';

export type InputKind = 'return' | 'school-list' | 'folder';

/** One thing found in what the user asked to load, and what it was taken for. */
export interface LoadItem {
  path: string;
  kind: 'return' | 'school-list' | 'unrecognised';
  /** For a school list, which format. */
  detail?: string;
}

export interface LoadProgress {
  done: number;
  total: number;
  item: LoadItem;
  report?: ReturnReport;
}

export interface LoadOptions {
  layout: DataLayout;
  onProgress?: (p: LoadProgress) => void;
  /** DuckDB threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
}

export interface LoadSummary {
  items: LoadItem[];
  returns: ReturnReport[];
  schoolLists: { path: string; kind: string; schools: number; las: number; problems: Problem[] }[];
  unrecognised: LoadItem[];
  loaded: number;
  rejected: number;
}

/** Recognises what a path holds, by structure (not by name alone). Folders are walked. */
export function discover(target: string): LoadItem[] {
  const abs = path.resolve(target);
  if (!existsSync(abs)) throw new Error(`Nothing to load at ${abs}: no such file or folder.`);
  const stat = statSync(abs);
  if (stat.isDirectory()) {
    if (isReturnFolder(abs)) return [{ path: abs, kind: 'return' }];
    const items: LoadItem[] = [];
    for (const name of readdirSync(abs).sort()) {
      if (name.startsWith('.')) continue;
      // The demo's returns for schools outside the LA belong to the virtual-school feature.
      if (name === 'out-of-area' || name === 'social-care') continue;
      items.push(...discover(path.join(abs, name)));
    }
    return items;
  }
  const lower = abs.toLowerCase();
  if (lower.endsWith('.zip')) return [{ path: abs, kind: 'return' }];
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz')) {
    const kind = detectSchoolList(abs);
    if (kind) return [{ path: abs, kind: 'school-list', detail: kind }];
  }
  if (lower.endsWith('manifest.json')) return [];
  return [{ path: abs, kind: 'unrecognised' }];
}

/**
 * Loads everything found at `target`: school lists first (returns need to know their school's
 * LA), then returns, each validated and written atomically on its own. A rejected return never
 * stops the others; its report says why.
 */
export async function loadPath(target: string, options: LoadOptions): Promise<LoadSummary> {
  const layout = ensureLayout(options.layout);
  const items = discover(target);
  const ordered = [...items.filter((i) => i.kind === 'school-list'), ...items.filter((i) => i.kind === 'return')];
  const summary: LoadSummary = {
    items,
    returns: [],
    schoolLists: [],
    unrecognised: items.filter((i) => i.kind === 'unrecognised'),
    loaded: 0,
    rejected: 0,
  };
  await withDuck(
    async (duck) => {
      let done = 0;
      for (const item of ordered) {
        if (item.kind === 'school-list') {
          try {
            const r = await loadSchoolList(duck, layout, item.path);
            summary.schoolLists.push({ path: item.path, ...r });
            summary.loaded++;
          } catch (error) {
            if (!(error instanceof InputRejectedError)) throw error;
            summary.rejected++;
            summary.schoolLists.push({ path: item.path, kind: item.detail ?? '', schools: 0, las: 0, problems: error.problems });
          }
          options.onProgress?.({ done: ++done, total: ordered.length, item });
          continue;
        }
        const files = item.path.toLowerCase().endsWith('.zip')
          ? await returnFilesFromZip(item.path, layout.tmp)
          : returnFilesFromFolder(item.path);
        let report: ReturnReport;
        try {
          report = await loadReturn(duck, layout, files);
        } finally {
          if (files.workDir) rmSync(files.workDir, { recursive: true, force: true });
        }
        summary.returns.push(report);
        if (report.status === 'loaded') summary.loaded++;
        else summary.rejected++;
        options.onProgress?.({ done: ++done, total: ordered.length, item, report });
      }
    },
    { threads: options.threads, tempDirectory: layout.tmp },
  );
  return summary;
}
