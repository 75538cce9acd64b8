import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface MartFixtureOptions {
  /** The Rollbook data folder; writes `marts/dim_school` and `marts/fct_enrolment_term`. */
  dataDir: string;
  laCode?: string;
  laName?: string;
  academicYear?: string;
  schools?: number;
  pupilsPerSchool?: number;
}

const SQL = readFileSync(new URL('./mart-fixture.sql', import.meta.url), 'utf8');

/** A DuckDB string literal, for the one thing COPY cannot take as a parameter: its file path. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Writes a small made-up LA into the marts with DuckDB: one Parquet file of schools and Hive-
 * partitioned enrolment × term × scope rows, as the loader would. For tests that need an API with
 * data before (or without) running the demo generator.
 */
export async function writeMartFixture(options: MartFixtureOptions): Promise<void> {
  const marts = path.join(options.dataDir, 'marts');
  mkdirSync(path.join(marts, 'dim_school'), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const [createSchools, createEnrolments] = SQL.split(/;\s*\n/).filter((s) => s.includes('CREATE TABLE'));
    const params = {
      la_code: options.laCode ?? '999',
      la_name: options.laName ?? 'Fixtureshire',
      academic_year: options.academicYear ?? '2024/25',
      schools: options.schools ?? 24,
      pupils_per_school: options.pupilsPerSchool ?? 60,
    };
    await connection.run(createSchools!, { la_code: params.la_code, la_name: params.la_name, schools: params.schools, pupils_per_school: params.pupils_per_school });
    await connection.run(createEnrolments!, { academic_year: params.academic_year, pupils_per_school: params.pupils_per_school });
    await connection.run(
      `COPY fixture_school TO ${sqlString(path.join(marts, 'dim_school', 'part-0.parquet'))} (FORMAT parquet)`,
    );
    await connection.run(
      `COPY fixture_enrolment_term TO ${sqlString(path.join(marts, 'fct_enrolment_term'))} ` +
        `(FORMAT parquet, PARTITION_BY (la, academic_year, term, urn), OVERWRITE_OR_IGNORE)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
