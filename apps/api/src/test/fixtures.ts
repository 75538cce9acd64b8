import { DuckDBInstance } from '@duckdb/node-api';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../common/sql.js';

/** One `fct_enrolment_term` row, with the columns the API reads (docs/warehouse.md). */
export interface EnrolmentTermRow {
  la_code: string;
  academic_year: string;
  term: 'autumn' | 'spring' | 'summer';
  urn: number;
  upn: string;
  scope: 'dfe' | 'operational';
  possible_sessions: number;
  approved_educational_activity: number;
  authorised_absence: number;
  unauthorised_absence: number;
}

export interface SchoolRow {
  urn: number;
  la_code: string;
  la_name: string;
  name: string;
  phase: string;
}

/**
 * A fresh data folder under /tmp, mode 0755 (mkdtemp makes 0700), so that the `postgres` user
 * the embedded server runs as can reach `<dir>/postgres`.
 */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp('/tmp/rollbook-test-');
  await chmod(dir, 0o755);
  return dir;
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const FCT_COLUMNS =
  "{'la_code': 'VARCHAR', 'academic_year': 'VARCHAR', 'term': 'VARCHAR', 'urn': 'INTEGER', 'upn': 'VARCHAR', " +
  "'scope': 'VARCHAR', 'possible_sessions': 'INTEGER', 'approved_educational_activity': 'INTEGER', " +
  "'authorised_absence': 'INTEGER', 'unauthorised_absence': 'INTEGER'}";

/**
 * Writes rows as the mart does: one Parquet file per la × academic_year × term × urn partition
 * (`academic_year=2024-25` in the path). Present and overall absence are derived as the code
 * table would: overall = authorised + unauthorised; present = possible − overall − AEA.
 */
export async function writeEnrolmentTerms(dataDir: string, rows: EnrolmentTermRow[]): Promise<void> {
  const partitions = new Map<string, EnrolmentTermRow[]>();
  for (const row of rows) {
    const key = path.join(
      `la=${row.la_code}`,
      `academic_year=${row.academic_year.replace('/', '-')}`,
      `term=${row.term}`,
      `urn=${row.urn}`,
    );
    partitions.set(key, [...(partitions.get(key) ?? []), row]);
  }
  await withDuckDb(async (run) => {
    for (const [key, partRows] of partitions) {
      const folder = path.join(dataDir, 'marts', 'fct_enrolment_term', key);
      await mkdir(folder, { recursive: true });
      const csv = path.join(folder, 'rows.csv');
      const header = Object.keys(partRows[0]!).join(',');
      await writeFile(csv, [header, ...partRows.map((r) => Object.values(r).join(','))].join('\n'));
      await run(`
        COPY (
          SELECT
            * EXCLUDE (possible_sessions, approved_educational_activity, authorised_absence, unauthorised_absence),
            'Y5' AS nc_year,
            9 AS age_at_31_august,
            possible_sessions,
            possible_sessions - authorised_absence - unauthorised_absence - approved_educational_activity AS present_sessions,
            approved_educational_activity,
            authorised_absence,
            unauthorised_absence,
            authorised_absence + unauthorised_absence AS overall_absence,
            0 AS late_sessions
          FROM read_csv(${sqlString(csv)}, header = true, columns = ${FCT_COLUMNS})
        ) TO ${sqlString(path.join(folder, 'part-0.parquet'))} (FORMAT parquet)`);
      await rm(csv);
    }
  });
}

export async function writeSchools(dataDir: string, schools: SchoolRow[]): Promise<void> {
  const folder = path.join(dataDir, 'marts', 'dim_school');
  await mkdir(folder, { recursive: true });
  const csv = path.join(folder, 'rows.csv');
  await writeFile(
    csv,
    ['urn,la_code,la_name,name,phase', ...schools.map((s) => [s.urn, s.la_code, s.la_name, s.name, s.phase].join(','))].join('\n'),
  );
  await withDuckDb((run) =>
    run(`
      COPY (
        SELECT * FROM read_csv(${sqlString(csv)}, header = true,
          columns = {'urn': 'INTEGER', 'la_code': 'VARCHAR', 'la_name': 'VARCHAR', 'name': 'VARCHAR', 'phase': 'VARCHAR'})
      ) TO ${sqlString(path.join(folder, 'part-0.parquet'))} (FORMAT parquet)`),
  );
  await rm(csv);
}

async function withDuckDb(work: (run: (sql: string) => Promise<void>) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await work(async (sql) => {
      await connection.run(sql);
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** POSTs a GraphQL query and returns the parsed body. */
export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}
