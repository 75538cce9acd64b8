import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startApi, type RunningApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import {
  addUserAndSignIn,
  type EnrolmentTermRow,
  graphql,
  type TestSession,
  makeDataDir,
  removeDataDir,
  writeEnrolmentTerms,
  writeSchools,
} from './test/fixtures.js';

// Hand-made marts for LA 332. Every figure expected below is worked out by hand in comments:
// sum each enrolment's terms, decide persistent (≥ 10 %) and severe (≥ 50 %) absence on those
// totals, drop zero-possible enrolments, then sum and divide.
const row = (
  urn: number,
  upn: string,
  term: EnrolmentTermRow['term'],
  possible: number,
  authorised: number,
  unauthorised: number,
  extra: Partial<EnrolmentTermRow> = {},
): EnrolmentTermRow => ({
  la_code: '332',
  academic_year: '2024/25',
  term,
  urn,
  upn,
  scope: 'dfe',
  possible_sessions: possible,
  approved_educational_activity: 2,
  authorised_absence: authorised,
  unauthorised_absence: unauthorised,
  ...extra,
});

const ALPHA = 100001;
const BETA = 100002;
const dfeRows: EnrolmentTermRow[] = [
  // Alpha: A1 6/120 = 5 % (not PA).
  row(ALPHA, 'A1', 'autumn', 60, 2, 1),
  row(ALPHA, 'A1', 'spring', 60, 3, 0),
  // A2 12/120 = exactly 10 % → PA (20 % in autumn alone).
  row(ALPHA, 'A2', 'autumn', 60, 10, 2),
  row(ALPHA, 'A2', 'spring', 60, 0, 0),
  // A3 10/120 = 8.3 % → not PA, although autumn alone (9/60 = 15 %) would be.
  row(ALPHA, 'A3', 'autumn', 60, 9, 0),
  row(ALPHA, 'A3', 'spring', 60, 0, 1),
  // A4 has no possible sessions (e.g. dual registered elsewhere): dropped.
  row(ALPHA, 'A4', 'autumn', 0, 0, 0, { approved_educational_activity: 0 }),
  // A5 15/30 = exactly 50 % → PA and SA.
  row(ALPHA, 'A5', 'autumn', 30, 5, 10),
  // Beta: B1 59/120 = 49.2 % → PA, not SA, although autumn alone (30/60) would be SA.
  row(BETA, 'B1', 'autumn', 60, 0, 30, { approved_educational_activity: 0 }),
  row(BETA, 'B1', 'spring', 60, 0, 29, { approved_educational_activity: 0 }),
  // B2 0/60.
  row(BETA, 'B2', 'autumn', 60, 0, 0),
];
const operationalRows: EnrolmentTermRow[] = [
  ...dfeRows.map((r) => ({ ...r, scope: 'operational' as const })),
  // B3 is outside the DfE scope (e.g. aged 16): 60/60 → PA and SA, operational only.
  row(BETA, 'B3', 'autumn', 60, 0, 60, { scope: 'operational', approved_educational_activity: 0 }),
];
const olderYear: EnrolmentTermRow[] = [row(ALPHA, 'A1', 'summer', 100, 10, 0, { academic_year: '2023/24' })];

const pct = (n: number, d: number) => (n * 100) / d;

const SCHOOL_FIELDS = `urn name phase enrolments possibleSessions attendanceRate overallAbsenceRate
  authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate`;
const LA_QUERY = `query ($year: String, $scope: MetricScope) {
  laOverview(academicYear: $year, scope: $scope) {
    laCode laName academicYear scope enrolments possibleSessions attendanceRate overallAbsenceRate
    authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate
    persistentAbsentees severeAbsentees schools { ${SCHOOL_FIELDS} }
  }
}`;

describe('Rollbook API over real Postgres and DuckDB', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeEnrolmentTerms(dataDir, [...dfeRows, ...operationalRows, ...olderYear]);
    await writeSchools(dataDir, [
      { urn: ALPHA, la_code: '332', la_name: 'Dudley', name: 'Alpha Primary School', phase: 'Primary' },
      { urn: BETA, la_code: '332', la_name: 'Dudley', name: 'Beta Academy', phase: 'Secondary' },
    ]);
    const config = loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' });
    api = await startApi(config, { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@example.org' });
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('answers /health, /ready and the health query', async () => {
    const health = await fetch(`${api.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${api.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'up', warehouse: 'up' } });

    expect(await graphql(api.baseUrl, '{ health }', {}, officer)).toEqual({ data: { health: 'ok' } });
  });

  it('generates the schema with the agreed names', async () => {
    const { data } = await graphql<{ __type: { enumValues: Array<{ name: string }> } }>(
      api.baseUrl,
      '{ __type(name: "MetricScope") { enumValues { name } } }', {}, officer,
    );
    expect(data!.__type.enumValues.map((v) => v.name)).toEqual(['DFE', 'OPERATIONAL']);
  });

  it('ran the migrations in the embedded Postgres', async () => {
    const dataSource = api.app.get(DataSource);
    const columns: Array<{ column_name: string }> = await dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'email',
      'display_name',
      'role',
      'password_hash',
      'created_at',
      'la_code',
      'urn',
      'worker_id',
      'team',
      'disabled',
      'oidc_issuer',
      'oidc_subject',
      'last_sign_in_at',
      'updated_at',
      'la_codes',
    ]);
    await dataSource.query(`INSERT INTO users (email, display_name, role) VALUES ('a@example.org', 'A', 'la_officer')`);
    await expect(
      dataSource.query(`INSERT INTO users (email, display_name, role) VALUES ('A@Example.org', 'B', 'la_officer')`),
    ).rejects.toThrow(/users_email_key/);
    await expect(
      dataSource.query(`INSERT INTO users (email, display_name, role) VALUES ('c@example.org', 'C', 'officer')`),
    ).rejects.toThrow(/users_role_check/);
  });

  it('lists loaded academic years, newest first', async () => {
    expect(await graphql(api.baseUrl, '{ academicYears }', {}, officer)).toEqual({ data: { academicYears: ['2024/25', '2023/24'] } });
  });

  it('computes the LA overview for the newest year in DfE scope by default', async () => {
    const { data, errors } = await graphql<{ laOverview: Record<string, unknown> }>(api.baseUrl, LA_QUERY, {}, officer);
    expect(errors).toBeUndefined();
    const la = data!.laOverview;
    // Enrolments A1 A2 A3 A5 B1 B2 (A4 dropped); possible 120+120+120+30+120+60 = 570;
    // absence: authorised 5+10+9+5 = 29, unauthorised 1+2+1+10+59 = 73, overall 102.
    // Present + AEA: 570 − 102 = 468 (AEA included in attendance).
    expect(la).toMatchObject({
      laCode: '332',
      laName: 'Dudley',
      academicYear: '2024/25',
      scope: 'DFE',
      enrolments: 6,
      possibleSessions: 570,
      persistentAbsentees: 3, // A2, A5, B1
      severeAbsentees: 1, // A5
    });
    expect(la.attendanceRate).toBeCloseTo(pct(468, 570), 10);
    expect(la.overallAbsenceRate).toBeCloseTo(pct(102, 570), 10); // 17.89…, not the mean of school rates
    expect(la.authorisedAbsenceRate).toBeCloseTo(pct(29, 570), 10);
    expect(la.unauthorisedAbsenceRate).toBeCloseTo(pct(73, 570), 10);
    expect(la.persistentAbsenceRate).toBeCloseTo(50, 10);
    expect(la.severeAbsenceRate).toBeCloseTo(pct(1, 6), 10);

    const schools = la.schools as Array<Record<string, unknown>>;
    expect(schools.map((s) => s.urn)).toEqual([ALPHA, BETA]);
    const [alpha, beta] = schools;
    // Alpha: A1 A2 A3 A5; possible 390; authorised 29, unauthorised 14, overall 43.
    expect(alpha).toMatchObject({ name: 'Alpha Primary School', phase: 'Primary', enrolments: 4, possibleSessions: 390 });
    expect(alpha!.overallAbsenceRate).toBeCloseTo(pct(43, 390), 10);
    expect(alpha!.attendanceRate).toBeCloseTo(pct(347, 390), 10);
    expect(alpha!.authorisedAbsenceRate).toBeCloseTo(pct(29, 390), 10);
    expect(alpha!.unauthorisedAbsenceRate).toBeCloseTo(pct(14, 390), 10);
    expect(alpha!.persistentAbsenceRate).toBeCloseTo(50, 10); // A2, A5 of 4
    expect(alpha!.severeAbsenceRate).toBeCloseTo(25, 10); // A5 of 4
    // Beta: B1 B2; possible 180; unauthorised 59.
    expect(beta).toMatchObject({ name: 'Beta Academy', phase: 'Secondary', enrolments: 2, possibleSessions: 180 });
    expect(beta!.overallAbsenceRate).toBeCloseTo(pct(59, 180), 10);
    expect(beta!.authorisedAbsenceRate).toBe(0);
    expect(beta!.persistentAbsenceRate).toBeCloseTo(50, 10); // B1
    expect(beta!.severeAbsenceRate).toBe(0); // B1 is 49.2 % over the year
  });

  it('uses the operational scope when asked', async () => {
    const { data } = await graphql<{ laOverview: Record<string, number> }>(api.baseUrl, LA_QUERY, {
      scope: 'OPERATIONAL',
    }, officer);
    // Adds B3: 60 possible, 60 unauthorised, PA and SA.
    expect(data!.laOverview).toMatchObject({
      scope: 'OPERATIONAL',
      enrolments: 7,
      possibleSessions: 630,
      persistentAbsentees: 4,
      severeAbsentees: 2,
    });
    expect(data!.laOverview.overallAbsenceRate).toBeCloseTo(pct(162, 630), 10);
  });

  it('answers for an older year', async () => {
    const { data } = await graphql<{ laOverview: Record<string, number> }>(api.baseUrl, LA_QUERY, { year: '2023/24' }, officer);
    expect(data!.laOverview).toMatchObject({ academicYear: '2023/24', enrolments: 1, possibleSessions: 100, persistentAbsentees: 1 });
  });

  it('returns one school, or null for an unknown URN', async () => {
    const query = `query ($urn: Int!) { school(urn: $urn) { ${SCHOOL_FIELDS} } }`;
    const { data } = await graphql<{ school: Record<string, number> }>(api.baseUrl, query, { urn: BETA }, officer);
    expect(data!.school).toMatchObject({ urn: BETA, enrolments: 2, possibleSessions: 180 });
    expect(data!.school.unauthorisedAbsenceRate).toBeCloseTo(pct(59, 180), 10);
    expect(await graphql(api.baseUrl, query, { urn: 999999 }, officer)).toEqual({ data: { school: null } });
  });

  it('turns bad input into coded errors without internals', async () => {
    const invalid = await graphql(api.baseUrl, LA_QUERY, { year: '2024-2025' }, officer);
    expect(invalid.data).toBeNull();
    expect(invalid.errors).toHaveLength(1);
    expect(invalid.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ACADEMIC_YEAR_INVALID' });
    expect(invalid.errors![0]!.message).toMatch(/2024\/25/);

    const missing = await graphql(api.baseUrl, LA_QUERY, { year: '2019/20' }, officer);
    expect(missing.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', reason: 'ACADEMIC_YEAR_NOT_LOADED' });
    expect(JSON.stringify(missing)).not.toMatch(/stacktrace|\.ts:|\.js:|SELECT/);
  });

  it('sees partitions written by a later load', async () => {
    // A summer return for Beta: B2 misses 10 of 60 → B2 total 10/120 = 8.3 %, not PA.
    await writeEnrolmentTerms(dataDir, [row(BETA, 'B2', 'summer', 60, 10, 0)]);
    const query = `query ($urn: Int!) { school(urn: $urn) { enrolments possibleSessions overallAbsenceRate persistentAbsenceRate } }`;
    const { data } = await graphql<{ school: Record<string, number> }>(api.baseUrl, query, { urn: BETA }, officer);
    expect(data!.school).toMatchObject({ enrolments: 2, possibleSessions: 240 });
    expect(data!.school.overallAbsenceRate).toBeCloseTo(pct(69, 240), 10);
    expect(data!.school.persistentAbsenceRate).toBeCloseTo(50, 10);
  });
});
