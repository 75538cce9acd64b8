import { DuckDBInstance } from '@duckdb/node-api';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sqlString } from '../common/sql.js';
import { hashPassword } from '../modules/access/password.js';
import { Role } from '../modules/access/roles.js';
import { UsersRepository } from '../modules/access/users.repository.js';

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

/**
 * Writes rows to one Parquet file with DuckDB, columns typed as given (`{'upn': 'VARCHAR'}`);
 * an empty string in a row is written as NULL.
 */
export async function writeParquet(
  file: string,
  columns: Record<string, string>,
  rows: ReadonlyArray<Record<string, string | number | null>>,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const csv = `${file}.csv`;
  const names = Object.keys(columns);
  const quote = (v: string | number | null) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);
  await writeFile(csv, [names.join(','), ...rows.map((r) => names.map((n) => quote(r[n] ?? null)).join(','))].join('\n'));
  const types = `{${names.map((n) => `${sqlString(n)}: ${sqlString(columns[n]!)}`).join(', ')}}`;
  await withDuckDb((run) =>
    run(`COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, columns = ${types}))
         TO ${sqlString(file)} (FORMAT parquet)`),
  );
  await rm(csv);
}

/** A signed-in session for tests: the token (sent as the cookie) and its CSRF token. */
export interface TestSession {
  token: string;
  csrfToken: string;
}

/** Signs in with a password through `POST /auth/sign-in`; throws unless it works. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<TestSession> {
  const response = await fetch(`${baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { token?: string; csrfToken?: string; message?: string };
  if (response.status !== 200 || !body.token || !body.csrfToken) {
    throw new Error(`Sign-in as ${email} failed: HTTP ${response.status} ${body.message ?? ''}`);
  }
  return { token: body.token, csrfToken: body.csrfToken };
}

/** Headers of a request made with a session cookie, as the portal sends them (CSRF token included). */
export function sessionHeaders(session: TestSession | undefined): Record<string, string> {
  return session ? { cookie: `rollbook_session=${session.token}`, 'x-csrf-token': session.csrfToken } : {};
}

/** POSTs a GraphQL query (signed in when a session is given) and returns the parsed body. */
export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  session?: TestSession,
): Promise<{ data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sessionHeaders(session) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}

/** Password of the users tests create. */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Adds a user straight to Postgres (as an administrator would) and signs them in. Defaults: an
 * LA attendance officer of LA 332.
 */
export async function addUserAndSignIn(
  api: { app: { get: (token: unknown) => unknown }; baseUrl: string },
  user: { email: string; role?: Role; laCode?: string; urn?: number | null; workerId?: string | null; team?: string | null },
): Promise<TestSession> {
  const users = api.app.get(UsersRepository) as UsersRepository;
  await users.create(
    {
      email: user.email,
      displayName: user.email.split('@')[0]!,
      role: user.role ?? Role.LA_OFFICER,
      laCode: user.laCode ?? '332',
      urn: user.urn ?? null,
      workerId: user.workerId ?? null,
      team: user.team ?? null,
      disabled: false,
    },
    { passwordHash: await hashPassword(TEST_PASSWORD) },
  );
  return signIn(api.baseUrl, user.email, TEST_PASSWORD);
}
