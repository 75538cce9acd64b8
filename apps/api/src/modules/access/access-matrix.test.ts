import 'reflect-metadata';
import { tableFromIPC } from 'apache-arrow';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { ALPHA, BETA, GAMMA, PUPILS, type PupilKey, UNKNOWN_UPN, writeAccessFixture } from '../../test/access-fixture.js';
import {
  addUserAndSignIn,
  graphql,
  makeDataDir,
  removeDataDir,
  sessionHeaders,
  signIn,
  TEST_PASSWORD,
  type TestSession,
} from '../../test/fixtures.js';

/**
 * The access matrix (issue 5): every role signs in and tries every pupil-level read — the
 * school list, a named child, the CSV export, the Arrow bulk download — including other schools'
 * URNs and other children's UPNs. What each role may see is written here by hand, from the
 * fixture's story (access-fixture.ts), not worked out by the code under test.
 *
 *   A1 A2 A3: Alpha (LA 332)   B1 B2 B3: Beta (LA 332)   G1 G2: Gamma (LA 999)
 *   SW1 (Team X) holds A2 now; held B1 until 2021; takes B3 in 2099.
 *   SW2 (Team X) holds B2.  SW3 (Team Y) holds A3.
 *   B3 and G1 are looked after by LA 332 (G1 placed at Gamma, out of area); A1 was a child in
 *   need until 2020.
 */
const VISIBLE: Record<string, string> = {
  //               A1 A2 A3 B1 B2 B3 G1 G2
  la_admin:       'Y  Y  Y  Y  Y  Y  .  .',
  la_officer:     'Y  Y  Y  Y  Y  Y  .  .',
  school_user:    'Y  Y  Y  .  .  .  .  .', // Alpha's own pupils
  social_worker:  '.  Y  .  .  .  .  .  .', // SW1: A2 only (B1 closed, B3 not yet)
  team_manager:   '.  Y  .  .  Y  .  .  .', // Team X: A2 (SW1), B2 (SW2)
  virtual_school: '.  Y  Y  .  Y  Y  Y  .', // with a social worker (A2 A3 B2) or looked after (B3 G1)
  analyst:        '-  -  -  -  -  -  -  -', // no pupil-level data at all
  regional:       '-  -  -  -  -  -  -  -', // figures of LAs 332 and 999, no pupil-level data at all
};
const COLUMNS: PupilKey[] = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'G1', 'G2'];

function visibleTo(role: string): PupilKey[] {
  const marks = VISIBLE[role]!.split(/\s+/);
  return COLUMNS.filter((_, i) => marks[i] === 'Y');
}
const upnsOf = (keys: PupilKey[]) => keys.map((k) => PUPILS[k].upn).sort();
const atSchool = (keys: PupilKey[], urn: number) => keys.filter((k) => PUPILS[k].urn === urn);

const ROLES = Object.keys(VISIBLE);
/** Roles that read named children (the others are refused every pupil-level read). */
const PUPIL_ROLES = ROLES.filter((r) => !VISIBLE[r]!.startsWith('-'));
const USERS: Record<string, { email: string; urn?: number; workerId?: string; team?: string; laCodes?: string[] }> = {
  la_admin: { email: 'admin@la.example' },
  la_officer: { email: 'officer@la.example' },
  school_user: { email: 'head@alpha.example', urn: ALPHA },
  social_worker: { email: 'sw1@la.example', workerId: 'SW1' },
  team_manager: { email: 'manager@la.example', team: 'Team X' },
  virtual_school: { email: 'vsh@la.example' },
  analyst: { email: 'analyst@la.example' },
  regional: { email: 'regional@partnership.example', laCodes: ['999'] }, // the admin's own LA, 332, is added
};

const SCHOOL_PUPILS = `query ($urn: Int!) { schoolPupils(urn: $urn) { urn schoolName pupils { upn forename surname daysMissed persistentAbsentee } } }`;
const PUPIL = `query ($upn: String!) { pupil(upn: $upn) { upn forename surname terms { urn academicYear term possibleSessions } } }`;
const CREATE_USER = `mutation ($input: UserInput!) { createUser(input: $input) { id email role urn workerId team } }`;

describe('who may see what: the access matrix', () => {
  let dataDir: string;
  let api: RunningApi;
  let db: DataSource;
  const sessions: Record<string, TestSession> = {};

  const get = (path: string, session?: TestSession) => fetch(`${api.baseUrl}${path}`, { headers: sessionHeaders(session) });

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeAccessFixture(dataDir);
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    db = api.app.get(DataSource);
    // The first administrator is put in the database; every other user is created by them.
    sessions.la_admin = await addUserAndSignIn(api, { email: USERS.la_admin!.email, role: 'la_admin' as never });
    for (const role of ROLES.filter((r) => r !== 'la_admin')) {
      const u = USERS[role]!;
      const { data, errors } = await graphql(
        api.baseUrl,
        CREATE_USER,
        { input: { email: u.email, displayName: role, role: role.toUpperCase(), urn: u.urn, workerId: u.workerId, team: u.team, laCodes: u.laCodes, password: TEST_PASSWORD } },
        sessions.la_admin,
      );
      expect(errors, role).toBeUndefined();
      expect(data, role).toMatchObject({ createUser: { email: u.email, role: role.toUpperCase() } });
      sessions[role] = await signIn(api.baseUrl, u.email, TEST_PASSWORD);
    }
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  describe.each(PUPIL_ROLES)('%s', (role) => {
    const visible = visibleTo(role);

    it.each([
      ['Alpha', ALPHA],
      ['Beta', BETA],
      ['Gamma (another LA)', GAMMA],
      ['a URN that does not exist', 999_999],
    ])('lists only the pupils it may see at %s', async (_name, urn) => {
      const { data, errors } = await graphql<{ schoolPupils: { pupils: Array<{ upn: string; forename: string }> } }>(
        api.baseUrl,
        SCHOOL_PUPILS,
        { urn },
        sessions[role],
      );
      expect(errors).toBeUndefined();
      expect(data!.schoolPupils.pupils.map((p) => p.upn).sort()).toEqual(upnsOf(atSchool(visible, urn)));
      for (const p of data!.schoolPupils.pupils) expect(p.forename).not.toBeNull();
    });

    it.each([...COLUMNS, 'unknown' as const])('reads child %s only when it may', async (key) => {
      const upn = key === 'unknown' ? UNKNOWN_UPN : PUPILS[key].upn;
      const { data, errors } = await graphql<{ pupil: { upn: string; terms: Array<{ urn: number }> } | null }>(
        api.baseUrl,
        PUPIL,
        { upn },
        sessions[role],
      );
      expect(errors).toBeUndefined();
      if (key !== 'unknown' && visible.includes(key)) {
        expect(data!.pupil).toMatchObject({ upn, forename: PUPILS[key].forename, terms: [{ urn: PUPILS[key].urn }] });
      } else {
        // Out of scope and unknown look the same: nothing says the child exists.
        expect(data!.pupil).toBeNull();
      }
    });

    it.each([ALPHA, BETA, GAMMA])('downloads the CSV of school %i with only its visible pupils', async (urn) => {
      const response = await get(`/exports/schools/${urn}/pupils.csv`, sessions[role]);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const lines = (await response.text()).trim().split('\r\n');
      expect(lines[0]).toMatch(/^urn,upn,forename,surname,/);
      expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(upnsOf(atSchool(visible, urn)));
    });

    it('gets only visible enrolment rows in bulk (Arrow), for the whole year and for one school', async () => {
      const all = await get('/bulk/enrolments.arrow?academicYear=2024/25', sessions[role]);
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
      const table = tableFromIPC(new Uint8Array(await all.arrayBuffer()));
      const upns = [...new Set(table.getChild('upn')!.toArray() as string[])].sort();
      expect(upns).toEqual(upnsOf(visible));
      expect(table.numRows).toBe(visible.length * 2); // operational and dfe rows

      const beta = tableFromIPC(new Uint8Array(await (await get(`/bulk/enrolments.arrow?urn=${BETA}`, sessions[role])).arrayBuffer()));
      expect([...new Set(beta.getChild('upn')!.toArray() as string[])].sort()).toEqual(upnsOf(atSchool(visible, BETA)));
    });

    it('left an audit entry for each named child it read', async () => {
      const entries: Array<{ action: string; outcome: string; child_upns: string[] }> = await db.query(
        `SELECT action, outcome, child_upns FROM audit_log WHERE user_email = $1`,
        [USERS[role]!.email],
      );
      const readBy = (action: string) =>
        [...new Set(entries.filter((e) => e.action === action && e.outcome === 'ok').flatMap((e) => e.child_upns))].sort();
      expect(readBy('pupil.read')).toEqual(upnsOf(visible));
      expect(readBy('school_pupils.read')).toEqual(upnsOf(visible));
      expect(readBy('school_pupils.export')).toEqual(upnsOf(visible));
      expect(readBy('enrolments.bulk')).toEqual(upnsOf(visible));
      // The children it tried and could not see are recorded as attempts, not reads.
      const attempts = entries.filter((e) => e.action === 'pupil.read' && e.outcome === 'not_found').flatMap((e) => e.child_upns).sort();
      expect(attempts).toEqual([...upnsOf(COLUMNS.filter((k) => !visible.includes(k))), UNKNOWN_UPN].sort());
    });
  });

  describe('analyst', () => {
    it('is refused every pupil-level query, export and download', async () => {
      for (const [query, variables] of [
        [SCHOOL_PUPILS, { urn: ALPHA }],
        [PUPIL, { upn: PUPILS.A1.upn }],
      ] as const) {
        const { data, errors } = await graphql(api.baseUrl, query, variables, sessions.analyst);
        expect(Object.values(data ?? {}).every((v) => v === null)).toBe(true);
        expect(errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
      }
      for (const path of [`/exports/schools/${ALPHA}/pupils.csv`, '/bulk/enrolments.arrow']) {
        const response = await get(path, sessions.analyst);
        expect(response.status, path).toBe(403);
        expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE user_email = $1 AND cardinality(child_upns) > 0`, [
        USERS.analyst!.email,
      ]);
      expect(n).toBe(0);
    });

    it('sees aggregates with counts below 5 withheld, never the number', async () => {
      const { data } = await graphql<{ laOverview: Record<string, unknown> & { schools: Array<Record<string, unknown>> } }>(
        api.baseUrl,
        '{ laOverview(scope: OPERATIONAL) { suppressed enrolments persistentAbsentees persistentAbsenceRate overallAbsenceRate schools { urn suppressed enrolments overallAbsenceRate persistentAbsenceRate } } }',
        {},
        sessions.analyst,
      );
      // LA 332: 6 pupils (shown); 1 persistent absentee, A1 (withheld with its rate).
      expect(data!.laOverview).toMatchObject({ suppressed: true, enrolments: 6, persistentAbsentees: null, persistentAbsenceRate: null });
      expect(data!.laOverview.overallAbsenceRate).toBeCloseTo((22 * 100) / 360, 10);
      // Each school has 3 pupils: every figure withheld.
      for (const school of data!.laOverview.schools) {
        expect(school).toEqual({ urn: school.urn, suppressed: true, enrolments: null, overallAbsenceRate: null, persistentAbsenceRate: null });
      }
    });
  });

  describe('aggregates for the other roles', () => {
    it('shows the LA-wide roles everything, and a school user only its own school unsuppressed', async () => {
      const query = '{ laOverview(scope: OPERATIONAL) { suppressed persistentAbsentees schools { urn suppressed enrolments } } }';
      const officer = await graphql<{ laOverview: { suppressed: boolean; persistentAbsentees: number; schools: unknown[] } }>(api.baseUrl, query, {}, sessions.la_officer);
      expect(officer.data!.laOverview).toEqual({
        suppressed: false,
        persistentAbsentees: 1,
        schools: [
          { urn: ALPHA, suppressed: false, enrolments: 3 },
          { urn: BETA, suppressed: false, enrolments: 3 },
        ],
      });
      const school = await graphql<{ laOverview: unknown }>(api.baseUrl, query, {}, sessions.school_user);
      expect(school.data!.laOverview).toEqual({
        suppressed: true,
        persistentAbsentees: null,
        schools: [
          { urn: ALPHA, suppressed: false, enrolments: 3 },
          { urn: BETA, suppressed: true, enrolments: null },
        ],
      });
    });

    it('refuses another LA\'s figures and hides its schools', async () => {
      const other = await graphql(api.baseUrl, '{ laOverview(laCode: "999") { laCode } }', {}, sessions.la_officer);
      expect(other.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
      const gamma = await graphql(api.baseUrl, `{ school(urn: ${GAMMA}, scope: OPERATIONAL) { urn } }`, {}, sessions.virtual_school);
      expect(gamma).toEqual({ data: { school: null } });
    });
  });

  describe('without signing in', () => {
    it('answers nothing but the sign-in options and health', async () => {
      for (const query of [
        '{ academicYears }',
        '{ laOverview { laCode } }',
        `{ school(urn: ${ALPHA}) { urn } }`,
        `{ schoolPupils(urn: ${ALPHA}) { urn } }`,
        `{ pupil(upn: "${PUPILS.A1.upn}") { upn } }`,
        '{ users { id } }',
        '{ auditLog { id } }',
      ]) {
        const { data, errors } = await graphql(api.baseUrl, query);
        expect(Object.values(data ?? {}).every((v) => v === null), query).toBe(true);
        expect(errors?.[0]?.extensions, query).toEqual({ code: 'UNAUTHENTICATED', reason: 'NOT_SIGNED_IN' });
      }
      for (const path of [`/exports/schools/${ALPHA}/pupils.csv`, '/bulk/enrolments.arrow']) {
        expect((await get(path)).status, path).toBe(401);
      }
      expect(await graphql(api.baseUrl, '{ me { id } signInOptions { password oidc } health }')).toEqual({
        data: { me: null, signInOptions: { password: true, oidc: null }, health: 'ok' },
      });
    });

    it('does not accept a made-up or signed-out session', async () => {
      const fake = { token: 'x'.repeat(43), csrfToken: 'y' };
      expect((await graphql(api.baseUrl, '{ academicYears }', {}, fake)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('users and the audit log', () => {
    it('lets only LA admins manage users and read the audit log', async () => {
      for (const role of ROLES.filter((r) => r !== 'la_admin')) {
        for (const query of ['{ users { id } }', '{ auditLog { id } }']) {
          const { errors } = await graphql(api.baseUrl, query, {}, sessions[role]);
          expect(errors?.[0]?.extensions, `${role} ${query}`).toEqual({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
        }
        const { errors } = await graphql(api.baseUrl, CREATE_USER, { input: { email: `x-${role}@la.example`, displayName: 'X', role: 'LA_ADMIN' } }, sessions[role]);
        expect(errors?.[0]?.extensions, role).toEqual({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
      }
      const { data } = await graphql<{ users: Array<{ email: string }> }>(api.baseUrl, '{ users { email role } }', {}, sessions.la_admin);
      expect(data!.users).toHaveLength(ROLES.length);
    });

    it('checks each role has what its scope needs', async () => {
      const { errors } = await graphql(api.baseUrl, CREATE_USER, { input: { email: 'no-urn@la.example', displayName: 'X', role: 'SCHOOL_USER' } }, sessions.la_admin);
      expect(errors?.[0]).toMatchObject({ message: 'A school user needs the URN of their school.', extensions: { code: 'BAD_USER_INPUT' } });
    });

    it('lets an LA admin search the audit log by child, and records the search', async () => {
      const { data, errors } = await graphql<{ auditLog: Array<{ userEmail: string; action: string; childUpns: string[]; ip: string }> }>(
        api.baseUrl,
        `query ($upn: String) { auditLog(childUpn: $upn, action: "pupil.read") { userEmail action outcome childUpns ip at } }`,
        { upn: PUPILS.B3.upn },
        sessions.la_admin,
      );
      expect(errors).toBeUndefined();
      const readers = [...new Set(data!.auditLog.map((e) => e.userEmail))].sort();
      // Everyone who asked for B3 (each role with pupil-level access), whether they could see B3 or not.
      expect(readers).toEqual(PUPIL_ROLES.map((r) => USERS[r]!.email).sort());
      expect(data!.auditLog[0]!.ip).toMatch(/127\.0\.0\.1/);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'audit.search' AND $1 = ANY(child_upns)`, [
        PUPILS.B3.upn,
      ]);
      expect(n).toBe(1);
    });

    it('records user changes, and the log refuses to be changed', async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.create' AND user_email = $1`, [USERS.la_admin!.email]);
      expect(n).toBe(ROLES.length - 1);
      await expect(db.query(`UPDATE audit_log SET outcome = 'ok'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    });
  });

  describe('regional partnership analyst', () => {
    const REGION = `query ($scope: MetricScope) { regionOverview(scope: $scope) {
      academicYear laCodes suppressed enrolments overallAbsenceRate persistentAbsentees persistentAbsenceRate publishedAvailable published { areaName }
      las { laCode laName loaded suppressed enrolments overallAbsenceRate persistentAbsentees } } }`;
    type Region = { regionOverview: Record<string, unknown> & { las: Array<Record<string, unknown>> } };
    const forbidden = (errors: unknown, reason: string) => expect((errors as Array<{ extensions?: unknown }> | undefined)?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason });

    it("covers the LAs it was given, its administrator's own among them", async () => {
      const [row] = await db.query(`SELECT la_code, la_codes FROM users WHERE email = $1`, [USERS.regional!.email]);
      expect(row).toEqual({ la_code: '332', la_codes: ['332', '999'] });
      const { data } = await graphql(api.baseUrl, '{ me { role roleLabel laCodes pupilLevel } }', {}, sessions.regional);
      expect(data).toEqual({ me: { role: 'REGIONAL', roleLabel: 'Regional partnership analyst', laCodes: ['332', '999'], pupilLevel: false } });
    });

    it('sees each LA, and the pool withholds what would give a withheld LA away', async () => {
      const { data, errors } = await graphql<Region>(api.baseUrl, REGION, { scope: 'OPERATIONAL' }, sessions.regional);
      expect(errors).toBeUndefined();
      // LA 332: 6 pupils shown, its 1 persistent absentee withheld. LA 999: 2 pupils, all withheld.
      // The pool (8 pupils) less LA 332's 6 would give LA 999's 2 away: withheld as well.
      expect(data!.regionOverview).toMatchObject({
        academicYear: '2024/25', laCodes: ['332', '999'], suppressed: true, enrolments: null, overallAbsenceRate: null,
        persistentAbsentees: null, publishedAvailable: false, published: [],
      });
      expect(data!.regionOverview.las).toEqual([
        { laCode: '332', laName: 'Dudley', loaded: true, suppressed: true, enrolments: 6, overallAbsenceRate: (22 * 100) / 360, persistentAbsentees: null },
        { laCode: '999', laName: 'Elsewhere', loaded: true, suppressed: true, enrolments: null, overallAbsenceRate: null, persistentAbsentees: null },
      ]);
    });

    it("opens each of its LAs' overviews and schools, with small numbers withheld", async () => {
      const own = await graphql<{ laOverview: Record<string, unknown> }>(api.baseUrl, '{ laOverview(scope: OPERATIONAL) { laCode enrolments persistentAbsentees schools { urn enrolments } } }', {}, sessions.regional);
      expect(own.data!.laOverview).toEqual({ laCode: '332', enrolments: 6, persistentAbsentees: null, schools: [{ urn: ALPHA, enrolments: null }, { urn: BETA, enrolments: null }] });
      const other = await graphql<{ laOverview: Record<string, unknown> }>(api.baseUrl, '{ laOverview(laCode: "999", scope: OPERATIONAL) { laCode laName suppressed enrolments schools { urn } } }', {}, sessions.regional);
      expect(other).toEqual({ data: { laOverview: { laCode: '999', laName: 'Elsewhere', suppressed: true, enrolments: null, schools: [{ urn: GAMMA }] } } });
      const gamma = await graphql(api.baseUrl, `{ school(urn: ${GAMMA}, scope: OPERATIONAL) { urn suppressed enrolments } }`, {}, sessions.regional);
      expect(gamma).toEqual({ data: { school: { urn: GAMMA, suppressed: true, enrolments: null } } });
    });

    it('is refused an LA outside its partnership', async () => {
      for (const query of ['{ laOverview(laCode: "888") { laCode } }', '{ laBenchmarks(laCode: "888") { laCode } }']) {
        const { errors } = await graphql(api.baseUrl, query, {}, sessions.regional);
        forbidden(errors, 'OUT_OF_SCOPE');
        expect(errors![0]!.message, query).toMatch(/partnership/);
      }
    });

    it("is refused pupil lists, a pupil's page, downloads, TSM packs and caseloads, and reads no child", async () => {
      for (const [query, variables] of [
        [SCHOOL_PUPILS, { urn: ALPHA }],
        [SCHOOL_PUPILS, { urn: GAMMA }],
        [PUPIL, { upn: PUPILS.G1.upn }],
        ['query ($upn: String!) { socialCareChild(upn: $upn) { upn } }', { upn: PUPILS.B3.upn }],
        [`{ tsmPack(urn: ${ALPHA}, academicYear: "2024/25", term: "autumn") { urn } }`, {}],
        ['{ caseload { today } }', {}],
        ['{ virtualSchool { today } }', {}],
      ] as const) {
        const { data, errors } = await graphql(api.baseUrl, query, variables, sessions.regional);
        expect(Object.values(data ?? {}).every((v) => v === null), query).toBe(true);
        forbidden(errors, 'ROLE_NOT_PERMITTED');
      }
      for (const path of [`/exports/schools/${GAMMA}/pupils.csv`, '/bulk/enrolments.arrow']) {
        expect((await get(path, sessions.regional)).status, path).toBe(403);
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE user_email = $1 AND cardinality(child_upns) > 0`, [USERS.regional!.email]);
      expect(n).toBe(0);
    });

    it('is the only role with a regional overview', async () => {
      for (const role of ['la_officer', 'analyst']) {
        forbidden((await graphql(api.baseUrl, '{ regionOverview { enrolments } }', {}, sessions[role])).errors, 'ROLE_NOT_PERMITTED');
      }
    });

    it('pools a partnership whose other LA has no returns, and refuses the loaded LA it does not cover', async () => {
      const created = await graphql(api.baseUrl, CREATE_USER, {
        input: { email: 'pool-888@partnership.example', displayName: 'Pool', role: 'REGIONAL', laCodes: ['888', ' 332 '], password: TEST_PASSWORD },
      }, sessions.la_admin);
      expect(created.errors).toBeUndefined();
      const session = await signIn(api.baseUrl, 'pool-888@partnership.example', TEST_PASSWORD);
      const { data } = await graphql<Region>(api.baseUrl, REGION, { scope: 'OPERATIONAL' }, session);
      // Only LA 332's pupils: the pool is LA 332's figures, its 1 persistent absentee withheld.
      expect(data!.regionOverview).toMatchObject({ laCodes: ['332', '888'], suppressed: true, enrolments: 6, persistentAbsentees: null });
      expect(data!.regionOverview.overallAbsenceRate).toBeCloseTo((22 * 100) / 360, 12);
      expect(data!.regionOverview.las[1]).toEqual({ laCode: '888', laName: null, loaded: false, suppressed: false, enrolments: 0, overallAbsenceRate: null, persistentAbsentees: 0 });
      forbidden((await graphql(api.baseUrl, '{ laOverview(laCode: "999") { laCode } }', {}, session)).errors, 'OUT_OF_SCOPE');
      expect(await graphql(api.baseUrl, `{ school(urn: ${GAMMA}) { urn } }`, {}, session)).toEqual({ data: { school: null } });
    });

    it('needs at least one well-formed LA, in the API and in the database', async () => {
      for (const [laCodes, message] of [
        [undefined, /needs the local authorities they cover/],
        [[], /needs the local authorities they cover/],
        [['33'], /three digits/],
      ] as const) {
        const { errors } = await graphql(api.baseUrl, CREATE_USER, { input: { email: 'bad-region@partnership.example', displayName: 'X', role: 'REGIONAL', laCodes } }, sessions.la_admin);
        expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(errors?.[0]?.message).toMatch(message);
      }
      await expect(
        db.query(`INSERT INTO users (email, display_name, role, la_code) VALUES ('no-las@partnership.example', 'X', 'regional', '332')`),
      ).rejects.toThrow(/users_regional_la_codes/);
      await expect(
        db.query(`INSERT INTO users (email, display_name, role, la_code, la_codes) VALUES ('not-own@partnership.example', 'X', 'regional', '332', '{999}')`),
      ).rejects.toThrow(/users_regional_la_codes/);
    });
  });
});
