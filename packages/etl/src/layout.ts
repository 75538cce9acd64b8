import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Where everything Rollbook writes lives, under one data folder (ADR 0001, docs/warehouse.md). */
export interface DataLayout {
  root: string;
  lake: string;
  marts: string;
  demo: string;
  uploads: string;
  logs: string;
  tmp: string;
  postgres: string;
}

export function dataLayout(dataDir: string): DataLayout {
  const root = path.resolve(dataDir);
  return {
    root,
    lake: path.join(root, 'lake'),
    marts: path.join(root, 'marts'),
    demo: path.join(root, 'demo'),
    uploads: path.join(root, 'uploads'),
    logs: path.join(root, 'logs'),
    tmp: path.join(root, 'tmp'),
    postgres: path.join(root, 'postgres'),
  };
}

/** Creates the folders a writer needs; readers never call this. */
export function ensureLayout(layout: DataLayout): DataLayout {
  for (const dir of [layout.lake, layout.marts, layout.uploads, layout.logs, layout.tmp]) {
    mkdirSync(dir, { recursive: true });
  }
  return layout;
}

/** The Hive partition of one return: `la=332/academic_year=2024-25/term=autumn/urn=103812`. */
export interface ReturnPartition {
  laCode: string;
  academicYear: string; // '2024/25'
  term: 'autumn' | 'spring' | 'summer';
  urn: number;
}

export function partitionPath(p: ReturnPartition): string {
  return path.join(
    `la=${p.laCode}`,
    `academic_year=${p.academicYear.replace('/', '-')}`,
    `term=${p.term}`,
    `urn=${p.urn}`,
  );
}
