import { createHash, randomUUID } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataLayout } from './layout.js';
import type { Problem } from './problems.js';

/**
 * One submission: an input someone loaded, what it was taken for, what became of it and the report.
 * The loader writes each as JSON to `submissions/pending/` (with a copy of the file(s) in
 * `uploads/<id>/`); the API imports them into PostgreSQL, where the history is searched.
 */
export interface SubmissionRecord {
  id: string;
  submittedAt: string;
  /** Who: a user's email through the API, `cli:<os user>` from the command line. */
  submittedBy: string;
  via: 'cli' | 'upload';
  kind: string;
  source: string;
  /** SHA-256 of the file(s) (for a folder: of each file's name and hash, in name order). */
  fileHash: string;
  /** Where the copy of what was submitted is kept, relative to the data folder. */
  storedPath: string | null;
  urn: number | null;
  laCode: string | null;
  academicYear: string | null;
  term: string | null;
  status: 'loaded' | 'rejected';
  rows: { pupils: number; marks: number };
  errors: number;
  warnings: number;
  problems: Problem[];
}

/**
 * The `kind` of the record `rollbook purge` writes for each academic year it removed (one per
 * year, `academicYear` set): the API drops what it derived from that year's registers on filing it.
 */
export const PURGE_SUBMISSION_KIND = 'purge';

export interface SubmittedBy {
  submittedBy: string;
  via: 'cli' | 'upload';
  /** Keep a copy of what was submitted under `uploads/` (default true). */
  keepCopy?: boolean;
}

export function submissionsDir(layout: DataLayout, state: 'pending' | 'imported'): string {
  return path.join(layout.root, 'submissions', state);
}

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of a file, or of a folder's files (name and hash of each, in name order). */
export async function hashInput(target: string): Promise<string> {
  if (!statSync(target).isDirectory()) return fileHash(target);
  const outer = createHash('sha256');
  for (const name of readdirSync(target).sort()) {
    const file = path.join(target, name);
    if (!statSync(file).isFile()) continue;
    outer.update(`${name}\0${await fileHash(file)}\n`);
  }
  return outer.digest('hex');
}

/** Writes a submission to the pending queue (and keeps a copy of the input). Returns its id. */
export async function recordSubmission(
  layout: DataLayout,
  by: SubmittedBy,
  input: { kind: string; source: string },
  outcome: Omit<SubmissionRecord, 'id' | 'submittedAt' | 'submittedBy' | 'via' | 'kind' | 'source' | 'fileHash' | 'storedPath'>,
): Promise<string> {
  const id = randomUUID();
  let storedPath: string | null = null;
  if ((by.keepCopy ?? true) && existsSync(input.source)) {
    const dest = path.join(layout.uploads, id, path.basename(input.source));
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(input.source, dest, { recursive: true });
    storedPath = path.relative(layout.root, dest);
  }
  const record: SubmissionRecord = {
    id,
    submittedAt: new Date().toISOString(),
    submittedBy: by.submittedBy,
    via: by.via,
    kind: input.kind,
    source: input.source,
    fileHash: existsSync(input.source) ? await hashInput(input.source) : '',
    storedPath,
    ...outcome,
  };
  const dir = submissionsDir(layout, 'pending');
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${id}.json`);
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, path.join(dir, `${id}.json`));
  return id;
}
