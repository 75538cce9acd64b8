import { existsSync, mkdirSync, readdirSync, statSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Problem } from '../problems.js';

/** The files of one termly return (FORMATS.md §2), wherever they came from. */
export interface ReturnFiles {
  /** What the user gave us: a folder or a .zip. */
  source: string;
  pupils?: string;
  marks?: string;
  amendments?: string;
  suspensions?: string;
  problems: Problem[];
  /** A temp folder holding extracted files, removed by the caller once loaded. */
  workDir?: string;
}

const RETURN_FILES = ['pupils.csv', 'marks.csv', 'amendments.csv', 'suspensions.csv'] as const;
/** A termly return of a large secondary is ~30 MB of CSV; anything far larger is not a return. */
const MAX_UNCOMPRESSED_BYTES = 2 * 1024 ** 3;
const MAX_COMPRESSION_RATIO = 200;

export function isReturnFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'pupils.csv')) || existsSync(path.join(dir, 'marks.csv'));
}

export function returnFilesFromFolder(dir: string): ReturnFiles {
  const out: ReturnFiles = { source: dir, problems: [] };
  const names = new Map(readdirSync(dir).map((n) => [n.toLowerCase(), n]));
  for (const name of RETURN_FILES) {
    const actual = names.get(name);
    if (actual && statSync(path.join(dir, actual)).isFile()) out[name.replace('.csv', '') as 'pupils'] = path.join(dir, actual);
  }
  return out;
}

/**
 * Extracts the return files of a .zip into `tmpDir`. Only the four known names are taken (from any
 * folder level); entries with absolute or `..` paths, oversized or suspiciously compressed entries
 * are refused before a byte is written.
 */
export async function returnFilesFromZip(zipFile: string, tmpDir: string): Promise<ReturnFiles> {
  const dest = path.join(tmpDir, `zip-${randomUUID()}`);
  const out: ReturnFiles = { source: zipFile, problems: [], workDir: dest };
  mkdirSync(dest, { recursive: true });
  const file = path.basename(zipFile);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err ?? new Error('zip')) : resolve(z))),
  ).catch((error: Error) => {
    out.problems.push({ severity: 'error', code: 'ZIP_UNREADABLE', file, line: null, column: null, message: `Not a readable .zip file: ${error.message}` });
    return null;
  });
  if (!zip) return out;
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        // Names are decoded here, not by yauzl, so that unsafe ones are reported, not thrown.
        const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString('utf8') : String(entry.fileName);
        const base = path.posix.basename(name).toLowerCase();
        const unsafe = name.startsWith('/') || name.split(/[\\/]/).includes('..') || /^[a-zA-Z]:/.test(name);
        if (unsafe) {
          out.problems.push({ severity: 'error', code: 'ZIP_UNSAFE_PATH', file, line: null, column: null, message: `Entry "${name}" has an unsafe path and was refused.` });
          zip.readEntry();
          return;
        }
        if (name.endsWith('/') || !(RETURN_FILES as readonly string[]).includes(base)) {
          if (!name.endsWith('/') && !base.startsWith('.')) {
            out.problems.push({ severity: 'warning', code: 'ZIP_EXTRA_FILE', file, line: null, column: null, message: `Entry "${name}" is not part of a return and was ignored.` });
          }
          zip.readEntry();
          return;
        }
        total += entry.uncompressedSize;
        const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : Infinity;
        if (total > MAX_UNCOMPRESSED_BYTES || (entry.uncompressedSize > 10 * 1024 ** 2 && ratio > MAX_COMPRESSION_RATIO)) {
          out.problems.push({ severity: 'error', code: 'ZIP_TOO_LARGE', file, line: null, column: null, message: `Entry "${name}" expands to ${entry.uncompressedSize} bytes; a return cannot be that large.` });
          zip.close();
          resolve();
          return;
        }
        const key = base.replace('.csv', '') as 'pupils';
        if (out[key]) {
          out.problems.push({ severity: 'error', code: 'ZIP_DUPLICATE_FILE', file, line: null, column: null, message: `The zip holds more than one ${base}.` });
          zip.readEntry();
          return;
        }
        const target = path.join(dest, base);
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('zip stream'));
          pipeline(stream, createWriteStream(target))
            .then(() => {
              out[key] = target;
              zip.readEntry();
            })
            .catch(reject);
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    out.problems.push({ severity: 'error', code: 'ZIP_UNREADABLE', file, line: null, column: null, message: `The .zip could not be read: ${(error as Error).message}` });
  }
  return out;
}
