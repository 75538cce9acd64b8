import type { Duck } from '../duckdb.js';
import type { DataLayout } from '../layout.js';
import type { Problem } from '../problems.js';

/**
 * A reader for one kind of input file (FORMATS.md), recognised by its structure, not its name.
 * Readers are listed in `readers/index.ts`; `rollbook load` asks each in turn.
 */
export interface FileReader {
  /** Stable identifier, e.g. `school-list`. */
  readonly kind: string;
  /** What the CLI says it took the file for, e.g. `a school list`. */
  readonly label: string;
  /** Load order within one run: reference data (lower) before the returns that refer to it (100). */
  readonly order: number;
  /** The format variant when the file is of this kind (e.g. `gias`), otherwise null. Never throws. */
  detect(file: string): string | null;
  /** Loads the file atomically; throws {@link InputRejectedError} with problems when it is bad. */
  load(duck: Duck, layout: DataLayout, file: string, context: ReaderContext): Promise<ReaderResult>;
}

export interface ReaderContext {
  /** The LA a file with no LA of its own (SSDA903, caseloads) belongs to, when known. */
  laCode?: string;
}

export interface ReaderResult {
  /** One line for the CLI summary, e.g. `24,442 schools in 152 LAs`. */
  summary: string;
  rows: number;
  problems: Problem[];
}

/** The order of the returns themselves among readers. */
export const RETURN_ORDER = 100;
