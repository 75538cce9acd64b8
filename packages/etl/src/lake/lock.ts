import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataLayout } from '../layout.js';
import { recoverCommit } from './commit.js';

/** Who holds the load lock: written into the lock file. */
interface Holder {
  pid: number;
  host: string;
  since: string;
}

export interface LoadLock {
  release(): void;
}

export class LoadLockTimeoutError extends Error {
  override name = 'LoadLockTimeoutError';
}

function alive(holder: Holder): boolean {
  if (holder.host !== os.hostname()) return true; // another machine: cannot tell, assume it is working
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder's load lock: loads run one at a time, because merging returns into a mart
 * file is read-modify-write. A lock left by a process that died (`kill -9`) is taken over, and the
 * temp files it left are removed. Waits for a live holder up to `timeoutMs`, telling `onWait`.
 */
export async function acquireLoadLock(
  layout: DataLayout,
  options: { timeoutMs?: number; onWait?: (holder: Holder) => void } = {},
): Promise<LoadLock> {
  mkdirSync(layout.root, { recursive: true });
  const file = path.join(layout.root, 'load.lock');
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() } satisfies Holder));
      } finally {
        closeSync(fd);
      }
      // We hold the lock, so nothing else is writing: finish a commit a killed load had started,
      // then clear the temp files it left.
      recoverCommit(layout);
      mkdirSync(layout.tmp, { recursive: true });
      for (const name of readdirSync(layout.tmp)) rmSync(path.join(layout.tmp, name), { recursive: true, force: true });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: Holder | null = null;
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    } catch {
      // Half-written by a process killed while taking it, or just removed: look again.
    }
    if (holder && !alive(holder)) {
      try {
        unlinkSync(file);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (holder && !told) {
      options.onWait?.(holder);
      told = true;
    }
    if (Date.now() > deadline) {
      throw new LoadLockTimeoutError(`Another load (process ${holder?.pid ?? '?'}, since ${holder?.since ?? '?'}) is still running; try again when it has finished.`);
    }
    if (!holder) {
      // An unreadable lock for more than a moment is stale too.
      await new Promise((r) => setTimeout(r, 200));
      try {
        JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        rmSync(file, { force: true });
      }
      continue;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
