import { closeSync, createWriteStream, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Problem } from '../problems.js';

/** One entry of a .zip's central directory. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end-of-central-directory record is in the last 22 bytes + up to 64 KiB of comment. */
const EOCD_SEARCH = 22 + 0xffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const bytes = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, bytes);
}

/**
 * Lists a .zip's entries synchronously from its central directory, so that readers can recognise
 * a zipped file by its structure in `detect` (which is synchronous). Null when it is not a zip.
 */
export function listZipEntries(file: string): ZipEntryInfo[] | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const tailStart = Math.max(0, size - EOCD_SEARCH);
    const tail = readAt(fd, tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return null;
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset + dirSize > size) return null;
    const dir = readAt(fd, dirOffset, dirSize);
    const entries: ZipEntryInfo[] = [];
    let p = 0;
    for (let i = 0; i < count && p + 46 <= dir.length; i++) {
      if (dir.readUInt32LE(p) !== CENTRAL_SIGNATURE) return null;
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      entries.push({
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        uncompressedSize: dir.readUInt32LE(p + 24),
        localHeaderOffset: dir.readUInt32LE(p + 42),
        name: dir.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The first `bytes` (about) of an entry's uncompressed content, read synchronously: enough for a
 * CSV header or a small XML part. Stored and deflated entries only; null otherwise.
 */
export function readZipEntryStart(file: string, entry: ZipEntryInfo, bytes = 64 * 1024): Buffer | null {
  const fd = openSync(file, 'r');
  try {
    const local = readAt(fd, entry.localHeaderOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE) return null;
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (entry.method === 0) return readAt(fd, dataStart, Math.min(bytes, entry.uncompressedSize));
    if (entry.method !== 8) return null;
    const raw = readAt(fd, dataStart, Math.min(entry.compressedSize, bytes));
    const out = inflateRawSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return out.subarray(0, Math.min(out.length, bytes));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** True when a zip entry's name could write outside the folder it is extracted into. */
export function isUnsafeEntryName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || name.split(/[\\/]/).includes('..') || /^[a-zA-Z]:/.test(name);
}

/** Files a published-statistics zip may hold: larger is not a DfE release file. */
const MAX_ENTRY_BYTES = 512 * 1024 ** 2;
const MAX_RATIO = 200;

/**
 * Extracts one named entry of a .zip into `tmpDir` with yauzl. The whole zip is refused (problems,
 * nothing written) when any entry has an absolute or `..` path, as for returns
 * (`returns/source.ts`), or when the entry is oversized or suspiciously compressed.
 */
export async function extractZipEntry(
  zipFile: string,
  entryName: string,
  tmpDir: string,
): Promise<{ file: string | null; problems: Problem[] }> {
  const display = path.basename(zipFile);
  const problems: Problem[] = [];
  const refuse = (code: string, message: string): { file: null; problems: Problem[] } => {
    problems.push({ severity: 'error', code, file: display, line: null, column: null, message });
    return { file: null, problems };
  };
  const entries = listZipEntries(zipFile);
  if (!entries) return refuse('ZIP_UNREADABLE', 'Not a readable .zip file.');
  const unsafe = entries.find((e) => isUnsafeEntryName(e.name));
  if (unsafe) return refuse('ZIP_UNSAFE_PATH', `Entry "${unsafe.name}" has an unsafe path; the .zip was refused.`);
  const wanted = entries.find((e) => e.name === entryName);
  if (!wanted) return refuse('ZIP_ENTRY_MISSING', `The .zip has no entry "${entryName}".`);
  const ratio = wanted.compressedSize > 0 ? wanted.uncompressedSize / wanted.compressedSize : Infinity;
  if (wanted.uncompressedSize > MAX_ENTRY_BYTES || (wanted.uncompressedSize > 10 * 1024 ** 2 && ratio > MAX_RATIO)) {
    return refuse('ZIP_TOO_LARGE', `Entry "${entryName}" expands to ${wanted.uncompressedSize} bytes; a published statistics file is not that large.`);
  }
  mkdirSync(tmpDir, { recursive: true });
  const target = path.join(tmpDir, `${randomUUID()}-${path.posix.basename(entryName)}`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err ?? new Error('zip')) : resolve(z))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`entry ${entryName} not found`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('zip stream'));
          pipeline(stream, createWriteStream(target)).then(resolve, reject);
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    return refuse('ZIP_UNREADABLE', `The .zip could not be read: ${(error as Error).message}`);
  } finally {
    zip.close();
  }
  return { file: target, problems };
}
