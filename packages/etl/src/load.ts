import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { withDuck } from './duckdb.js';
import { acquireLoadLock } from './lake/lock.js';
import { recordSubmission, type SubmittedBy } from './submissions.js';
import { ensureLayout, type DataLayout } from './layout.js';
import { InputRejectedError, type Problem, unreadableFileProblem } from './problems.js';
import { FILE_READERS, RETURN_ORDER, type FileReader, type ReaderContext } from './readers/index.js';
import { loadReturns, type ReturnReport } from './returns/load-returns.js';
import type { ReturnFiles } from './returns/source.js';
import { isReturnFolder, returnFilesFromFolder, returnFilesFromZip } from './returns/source.js';

/** One thing found in what the user asked to load, and what it was taken for. */
export interface LoadItem {
  path: string;
  /** `return`, a reader's kind (`school-list`, …) or `unrecognised`. */
  kind: string;
  /** What it was taken for, in words (`a termly return`, `a school list`). */
  label: string;
  /** The format variant, when a reader says (e.g. `gias`). */
  detail?: string;
}

export interface FileLoad {
  item: LoadItem;
  status: 'loaded' | 'rejected';
  summary: string;
  rows: number;
  problems: Problem[];
}

export interface LoadProgress {
  done: number;
  total: number;
  item: LoadItem;
  report?: ReturnReport;
}

export interface LoadOptions extends ReaderContext {
  layout: DataLayout;
  onProgress?: (p: LoadProgress) => void;
  /** DuckDB threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
  /** Told when another load holds the data folder's lock and this one waits for it. */
  onWaitForLock?: (holder: { pid: number; since: string }) => void;
  /** How long to wait for another load to finish (default 15 minutes). */
  lockTimeoutMs?: number;
  /** Record each input in the submission history (see `submissions.ts`); omitted: not recorded. */
  submission?: SubmittedBy;
  /** May this load change the given school's returns? (An upload by a school user: its own only.) */
  mayLoadSchool?: (urn: number, laCode: string) => boolean;
}

export interface LoadSummary {
  items: LoadItem[];
  returns: ReturnReport[];
  files: FileLoad[];
  unrecognised: LoadItem[];
  loaded: number;
  rejected: number;
}

const RETURN_LABEL = 'a termly return';

function readerFor(kind: string): FileReader | undefined {
  return FILE_READERS.find((r) => r.kind === kind);
}

function orderOf(item: LoadItem): number {
  return item.kind === 'return' ? RETURN_ORDER : (readerFor(item.kind)?.order ?? Number.MAX_SAFE_INTEGER);
}

/** Recognises what a path holds, by structure (not by name alone). Folders are walked. */
export function discover(target: string): LoadItem[] {
  const abs = path.resolve(target);
  if (!existsSync(abs)) throw new Error(`Nothing to load at ${abs}: no such file or folder.`);
  const stat = statSync(abs);
  if (stat.isDirectory()) {
    if (isReturnFolder(abs)) return [{ path: abs, kind: 'return', label: RETURN_LABEL }];
    const items: LoadItem[] = [];
    for (const name of readdirSync(abs).sort()) {
      if (name.startsWith('.')) continue;
      // The demo's returns for schools outside the LA belong to the virtual-school feature.
      if (name === 'out-of-area') continue;
      items.push(...discover(path.join(abs, name)));
    }
    return items;
  }
  if (path.basename(abs) === 'manifest.json') return [];
  for (const reader of FILE_READERS) {
    const detail = reader.detect(abs);
    if (detail !== null) return [{ path: abs, kind: reader.kind, label: reader.label, detail }];
  }
  // A .zip no reader recognises (a DfE release zip is one) is a termly return.
  if (abs.toLowerCase().endsWith('.zip')) return [{ path: abs, kind: 'return', label: RETURN_LABEL }];
  return [{ path: abs, kind: 'unrecognised', label: 'nothing Rollbook reads' }];
}

/**
 * Loads everything found at `target`: reference data first (school lists: returns need to know
 * their school's LA), then returns, each validated and written atomically on its own. A rejected
 * input never stops the others; its report says why.
 */
export async function loadPath(target: string, options: LoadOptions): Promise<LoadSummary> {
  const layout = ensureLayout(options.layout);
  const items = discover(target);
  const ordered = items.filter((i) => i.kind !== 'unrecognised').sort((a, b) => orderOf(a) - orderOf(b));
  const summary: LoadSummary = {
    items,
    returns: [],
    files: [],
    unrecognised: items.filter((i) => i.kind === 'unrecognised'),
    loaded: 0,
    rejected: 0,
  };
  const context: ReaderContext = { laCode: options.laCode };
  const lock = await acquireLoadLock(layout, { onWait: options.onWaitForLock, timeoutMs: options.lockTimeoutMs });
  try {
    await withDuck(
      async (duck) => {
        let done = 0;
        const returnItems = ordered.filter((i) => i.kind === 'return');
        const loadPendingReturns = async () => {
          if (returnItems.length === 0) return;
          const files: ReturnFiles[] = [];
          try {
            for (const item of returnItems.splice(0)) {
              files.push(item.path.toLowerCase().endsWith('.zip') ? await returnFilesFromZip(item.path, layout.tmp) : returnFilesFromFolder(item.path));
            }
            await loadReturns(duck, layout, files, {
              mayLoadSchool: options.mayLoadSchool,
              onReport: async (report) => {
                if (options.submission) {
                  const errors = report.problems.filter((p) => p.severity === 'error').length;
                  report.submissionId = await recordSubmission(layout, options.submission, { kind: 'return', source: report.source }, {
                    urn: report.identity?.urn ?? null,
                    laCode: report.identity?.laCode ?? null,
                    academicYear: report.identity?.academicYear ?? null,
                    term: report.identity?.term ?? null,
                    status: report.status,
                    rows: { pupils: report.pupils, marks: report.marks },
                    errors,
                    warnings: report.problems.length - errors,
                    problems: report.problems,
                  });
                }
                summary.returns.push(report);
                if (report.status === 'loaded') summary.loaded++;
                else summary.rejected++;
                const item = items.find((i) => i.path === report.source) ?? { path: report.source, kind: 'return', label: RETURN_LABEL };
                options.onProgress?.({ done: ++done, total: ordered.length, item, report });
              },
            });
          } finally {
            for (const f of files) if (f.workDir) rmSync(f.workDir, { recursive: true, force: true });
          }
        };
        for (const item of ordered) {
          if (item.kind === 'return') continue;
          // Returns load together, after the reference data they need and before what refers to them.
          if (orderOf(item) > RETURN_ORDER) await loadPendingReturns();
          const reader = readerFor(item.kind);
          if (reader) {
            let loaded: FileLoad;
            try {
              const r = await reader.load(duck, layout, item.path, context);
              loaded = { item, status: 'loaded', ...r };
              summary.loaded++;
            } catch (caught) {
              const unreadable = unreadableFileProblem(caught, path.basename(item.path));
              const error = unreadable ? new InputRejectedError(path.basename(item.path), [unreadable]) : caught;
              if (!(error instanceof InputRejectedError)) throw error;
              summary.rejected++;
              loaded = { item, status: 'rejected', summary: error.message.split('\n')[0], rows: 0, problems: error.problems };
            }
            summary.files.push(loaded);
            if (options.submission) {
              const errors = loaded.problems.filter((p) => p.severity === 'error').length;
              // Reference data (school lists, statistics) is public: its history needs no copy.
              await recordSubmission(layout, { ...options.submission, keepCopy: false }, { kind: item.kind, source: item.path }, {
                urn: null, laCode: options.laCode ?? null, academicYear: null, term: null, status: loaded.status,
                rows: { pupils: 0, marks: 0 }, errors, warnings: loaded.problems.length - errors, problems: loaded.problems,
              });
            }
            options.onProgress?.({ done: ++done, total: ordered.length, item });
            continue;
          }
        }
        await loadPendingReturns();
      },
      { threads: options.threads, tempDirectory: layout.tmp },
    );
  } finally {
    lock.release();
  }
  return summary;
}
