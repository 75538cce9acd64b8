import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { PUBLISHED_MEASURES, type MetricScope, type PublishedMeasure } from '@rollbook/metrics';
import type { Duck, Row } from '../duckdb.js';
import { writeSummary } from '../export/summaries.js';
import type { DataLayout } from '../layout.js';

/**
 * One row of the LA or school summary computed from the returns in the DfE tidy format (the
 * `rollbook export la-summary|school-summary` computation, `export/summaries.ts`): session counts
 * summed then divided, DfE-format reason columns, `pa_perc` and `sa_perc`.
 */
export type TidyRow = Row & {
  old_la_code: string;
  school_type: string;
  enrolments: number;
  possible_sessions: number;
};

/** The LA or school summary of a period from the lake, read back as rows. */
export async function returnsSummary(
  duck: Duck,
  layout: DataLayout,
  kind: 'la-summary' | 'school-summary',
  period: { from: string; to: string },
  scope: MetricScope = 'dfe',
): Promise<TidyRow[]> {
  const file = path.join(layout.tmp, `${randomUUID()}-${kind}.parquet`);
  try {
    await writeSummary(duck, kind, { layout, from: period.from, to: period.to, scope }, file);
    return await duck.all<TidyRow>('SELECT * FROM read_parquet($file)', { file });
  } finally {
    rmSync(file, { force: true });
  }
}

/** The measures returns can give, named as in the 2024/25 DfE files (plus `sa_perc`). */
export const RETURNS_MEASURES: readonly PublishedMeasure[] = PUBLISHED_MEASURES.filter(
  (m) => m.fromReturns !== null && !m.name.startsWith('sess_') && !m.name.startsWith('enrolments_'),
);

/** A published measure computed from a tidy summary row (sum then divide), or null. */
export function measureFromTidy(row: TidyRow, measure: PublishedMeasure): number | null {
  const f = measure.fromReturns;
  if (f === null) return null;
  const num = (c: string): number => Number(row[c] ?? 0);
  if ('enrolments' in f) return row.enrolments > 0 ? Number(row[f.enrolments === 'persistent' ? 'pa_perc' : 'sa_perc']) : null;
  if (row.possible_sessions <= 0) return null;
  const numerator = 'sessions' in f ? num(f.sessions) : f.dfeColumns.reduce((s, c) => s + num(c), 0);
  return (100 * numerator) / row.possible_sessions;
}
