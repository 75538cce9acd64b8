/**
 * Targeting support meetings through the running API (real Postgres, real DuckDB): the autumn
 * pack, a meeting with actions, the spring return, and the spring pack showing the action with
 * attendance before and after; who may see and record; the planner, tracker and exports.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { ALPHA, BETA, GAMMA, PUPILS, writeAccessFixture } from '../../test/access-fixture.js';
import path from 'node:path';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, sessionHeaders, writeEnrolmentTerms, writeParquet, type TestSession } from '../../test/fixtures.js';

const PACK = `query ($urn: Int!, $year: String!, $term: String!) {
  tsmPack(urn: $urn, academicYear: $year, term: $term) {
    urn schoolName term comparisons { kind label overallAbsencePerc persistentPerc severePerc note } stored { builtAt }
    pupils { upn surname group reasons daysMissed attendancePerc familySummary pattern flags
      actions { actionType tier owner reviewDate status overdue impact { beforeAttendancePerc afterAttendancePerc direction } } }
  } }`;
const RECORD = `mutation ($input: TsmMeetingInput!) { recordTsmMeeting(input: $input) { meetingId actionIds } }`;
const PLANNER = `query { tsmPlanner(academicYear: "2024/25", term: "autumn") { urn name meetingDate openActions } }`;

type Pack = { tsmPack: { pupils: { upn: string; group: string | null; reasons: string[]; pattern: string[]; flags: string[]; attendancePerc: number; familySummary: string; actions: { reviewDate: string; status: string; impact: { beforeAttendancePerc: number; afterAttendancePerc: number | null; direction: string } | null }[] }[]; comparisons: { kind: string; label: string; overallAbsencePerc: number | null; persistentPerc: number | null; severePerc: number | null; note: string | null }[]; stored: { builtAt: string } | null } };

describe('targeting support meetings', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;
  let betaHead: TestSession;
  let analyst: TestSession;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeAccessFixture(dataDir);
    // The fixture's school list and pupil files are minimal; a real load also has the
    // characteristics that similar schools are chosen by.
    await writeParquet(
      path.join(dataDir, 'marts', 'dim_school', 'part-0.parquet'),
      { urn: 'INTEGER', la_code: 'VARCHAR', la_name: 'VARCHAR', name: 'VARCHAR', phase: 'VARCHAR', region_name: 'VARCHAR', headcount: 'INTEGER', fsm_pct: 'DOUBLE', eal_pct: 'DOUBLE' },
      [
        { urn: ALPHA, la_code: '332', la_name: 'Dudley', name: 'Alpha Primary School', phase: 'Primary', region_name: 'West Midlands', headcount: 3, fsm_pct: 0, eal_pct: 0 },
        { urn: BETA, la_code: '332', la_name: 'Dudley', name: 'Beta Academy', phase: 'Secondary', region_name: 'West Midlands', headcount: 3, fsm_pct: 0, eal_pct: 0 },
        { urn: GAMMA, la_code: '999', la_name: 'Elsewhere', name: 'Gamma High School', phase: 'Secondary', region_name: 'North East', headcount: 2, fsm_pct: 0, eal_pct: 0 },
      ],
    );
    for (const urn of [ALPHA, BETA, GAMMA]) {
      const pupils = Object.values(PUPILS).filter((p) => p.urn === urn);
      await writeParquet(
        path.join(dataDir, 'lake', 'pupils', `la=${pupils[0]!.la}`, 'academic_year=2024-25', 'term=autumn', `urn=${urn}`, 'part-0.parquet'),
        { urn: 'INTEGER', upn: 'VARCHAR', forename: 'VARCHAR', surname: 'VARCHAR', dob: 'DATE', nc_year: 'VARCHAR', fsm: 'BOOLEAN', eal: 'BOOLEAN', sen_provision: 'VARCHAR' },
        pupils.map((p) => ({ urn: p.urn, upn: p.upn, forename: p.forename, surname: p.surname, dob: '2015-03-01', nc_year: '5', fsm: 'false', eal: 'false', sen_provision: 'N' })),
      );
    }
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@la.example', role: 'la_officer' as never });
    betaHead = await addUserAndSignIn(api, { email: 'head@beta.example', role: 'school_user' as never, urn: BETA });
    analyst = await addUserAndSignIn(api, { email: 'analyst@la.example', role: 'analyst' as never });
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('the autumn pack lists the persistent absentee only', async () => {
    // A1: 12 of 60 unauthorised (20 %); everyone else 2 of 60 (3.3 %).
    const res = await graphql<Pack>(api.baseUrl, PACK, { urn: ALPHA, year: '2024/25', term: 'autumn' }, officer);
    expect(res.errors).toBeUndefined();
    const pupils = res.data!.tsmPack.pupils;
    expect(pupils.map((p) => [p.upn, p.group, p.reasons])).toEqual([[PUPILS.A1.upn, 'persistent', ['persistent']]]);
    expect(pupils[0]!.familySummary).toContain('Amy has missed 6 days of school this autumn term (12 sessions out of 60)');
    // Alpha against the LA (DfE scope): 16 of 180 sessions, 1 of 3 pupils persistently absent; the
    // LA 22 of 360, 1 of 6. No other primary to compare with, and no DfE statistics loaded: said so.
    const [school, similar, la, england] = res.data!.tsmPack.comparisons;
    expect(res.data!.tsmPack.comparisons.map((c) => [c.kind, c.label])).toEqual([
      ['school', 'Alpha Primary School'], ['similar', 'Similar schools'], ['la', 'Local authority'], ['england', 'England'],
    ]);
    expect(school!.overallAbsencePerc).toBeCloseTo((16 * 100) / 180, 10);
    expect(school!.persistentPerc).toBeCloseTo(100 / 3, 10);
    expect(la!.overallAbsencePerc).toBeCloseTo((22 * 100) / 360, 10);
    expect(la!.persistentPerc).toBeCloseTo(100 / 6, 10);
    expect(similar).toMatchObject({ overallAbsencePerc: null, note: 'No other primary school of the LA is on the school list to compare with.' });
    expect(england).toMatchObject({ overallAbsencePerc: null, persistentPerc: null });
    expect(england!.note).toContain("DfE's published attendance statistics are not loaded");
    expect(res.data!.tsmPack.stored).toBeNull();
  });

  it('records a meeting with actions, audited, and shows it on the planner', async () => {
    const res = await graphql<{ recordTsmMeeting: { meetingId: string; actionIds: string[] } }>(api.baseUrl, RECORD, {
      input: {
        urn: ALPHA,
        academicYear: '2024/25',
        term: 'autumn',
        meetingDate: '2024-12-02',
        attendees: [
          { name: 'Pat Head', role: 'Headteacher', organisation: 'school' },
          { name: 'Sam Officer', role: 'Attendance officer', organisation: 'la' },
        ],
        actions: [
          { upn: PUPILS.A1.upn, tier: 'targeted', actionType: 'family_meeting', owner: 'Head of year' },
          { cohort: 'Year 5', tier: 'universal', actionType: 'cohort_intervention', owner: 'Attendance lead', reviewDate: '2025-01-31' },
        ],
      },
    }, officer);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordTsmMeeting.actionIds).toHaveLength(2);
    const db = api.app.get(DataSource);
    const [entry] = await db.query(`SELECT child_upns, object_id FROM audit_log WHERE action = 'tsm.meeting.create'`);
    expect(entry).toEqual({ child_upns: [PUPILS.A1.upn], object_id: res.data!.recordTsmMeeting.meetingId });

    const planner = await graphql<{ tsmPlanner: { urn: number; meetingDate: string | null; openActions: number }[] }>(api.baseUrl, PLANNER, {}, officer);
    expect(planner.data!.tsmPlanner.map((r) => [r.urn, r.meetingDate, r.openActions])).toEqual([
      [ALPHA, '2024-12-02', 2],
      [BETA, null, 0],
    ]);
  });

  it('refuses a meeting with problems, naming each', async () => {
    const res = await graphql(api.baseUrl, RECORD, {
      input: { urn: ALPHA, academicYear: '2024/25', term: 'autumn', meetingDate: '2 Dec', attendees: [], actions: [{ tier: 'big', actionType: 'x', owner: '' }] },
    }, officer);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MEETING_INVALID' });
    expect(res.errors?.[0]?.message).toContain('The meeting date must be a date');
    expect(res.errors?.[0]?.message).toContain('Action 1: choose a pupil or a cohort.');
  });

  it('after the spring return, the spring pack shows the action with attendance before and after', async () => {
    const spring = (key: 'A1' | 'A2' | 'A3', unauthorised: number) => ({
      la_code: '332', academic_year: '2024/25', term: 'spring' as const, urn: ALPHA, upn: PUPILS[key].upn, scope: 'operational' as const,
      possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 0, unauthorised_absence: unauthorised,
    });
    // A3's register: present, except an unauthorised Monday morning (O) in each of 10 school
    // weeks — the penalty-notice threshold, met on the tenth.
    const marks: Record<string, string | number>[] = [];
    for (let w = 0; w < 10; w += 1) {
      for (let d = 0; d < 5; d += 1) {
        const date = new Date(Date.UTC(2025, 0, 6 + w * 7 + d)).toISOString().slice(0, 10);
        marks.push({ urn: ALPHA, upn: PUPILS.A3.upn, date, session: 'AM', mark: d === 0 ? 'O' : '/' });
        marks.push({ urn: ALPHA, upn: PUPILS.A3.upn, date, session: 'PM', mark: '\\' });
      }
    }
    await writeParquet(
      path.join(dataDir, 'lake', 'marks', 'la=332', 'academic_year=2024-25', 'term=spring', `urn=${ALPHA}`, 'part-0.parquet'),
      { urn: 'INTEGER', upn: 'VARCHAR', date: 'DATE', session: 'VARCHAR', mark: 'VARCHAR' },
      marks,
    );
    await writeParquet(
      path.join(dataDir, 'lake', 'suspensions', 'la=332', 'academic_year=2024-25', 'term=spring', `urn=${ALPHA}`, 'part-0.parquet'),
      { urn: 'INTEGER', upn: 'VARCHAR', category: 'VARCHAR', start_date: 'DATE', sessions: 'INTEGER', reason: 'VARCHAR' },
      [{ urn: ALPHA, upn: PUPILS.A2.upn, category: 'SUSP', start_date: '2025-02-03', sessions: 4, reason: 'PP' }],
    );
    await writeEnrolmentTerms(dataDir, [spring('A1', 3), spring('A2', 30), spring('A3', 0)]);
    const res = await graphql<Pack>(api.baseUrl, PACK, { urn: ALPHA, year: '2024/25', term: 'spring' }, officer);
    expect(res.errors).toBeUndefined();
    const pupils = res.data!.tsmPack.pupils;
    expect(pupils.map((p) => [p.upn, p.group])).toEqual([
      [PUPILS.A2.upn, 'severe'],
      [PUPILS.A1.upn, 'atRisk'],
      [PUPILS.A3.upn, 'atRisk'],
    ]);
    expect(pupils[2]).toMatchObject({ reasons: ['penaltyThreshold'], pattern: ['Monday morning: 10 sessions'], flags: [] });
    expect(pupils[0]!.flags).toEqual(['Suspended this term']);
    const a1 = pupils[1]!;
    expect(a1.reasons).toEqual(['absence5to10']);
    expect(a1.actions).toHaveLength(1);
    expect(a1.actions[0]).toMatchObject({ reviewDate: '2024-12-23', status: 'open' });
    expect(a1.actions[0]!.impact).toEqual({ beforeAttendancePerc: 80, afterAttendancePerc: 95, direction: 'improving' });
  });

  it('keeps other schools and aggregate-only roles out', async () => {
    const other = await graphql(api.baseUrl, PACK, { urn: ALPHA, year: '2024/25', term: 'spring' }, betaHead);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SCHOOL_NOT_COVERED' });
    const none = await graphql(api.baseUrl, PACK, { urn: ALPHA, year: '2024/25', term: 'spring' }, analyst);
    expect(none.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const record = await graphql(api.baseUrl, RECORD, {
      input: { urn: ALPHA, academicYear: '2024/25', term: 'spring', meetingDate: '2025-03-01', attendees: [{ name: 'X', role: 'Y', organisation: 'school' }], actions: [] },
    }, betaHead);
    expect(record.errors?.[0]?.extensions).toMatchObject({ reason: 'SCHOOL_NOT_COVERED' });
  });

  it('tracks open actions and audits a change of status', async () => {
    const list = await graphql<{ tsmActions: { id: string; upn: string | null; overdue: boolean }[] }>(api.baseUrl, `query { tsmActions { id upn overdue } }`, {}, officer);
    expect(list.data!.tsmActions).toHaveLength(2);
    const id = list.data!.tsmActions.find((a) => a.upn === PUPILS.A1.upn)!.id;
    const done = await graphql<{ updateTsmAction: { status: string } }>(api.baseUrl, `mutation ($id: ID!) { updateTsmAction(id: $id, change: { status: "done" }) { status } }`, { id }, officer);
    expect(done.data!.updateTsmAction.status).toBe('done');
    const db = api.app.get(DataSource);
    const rows = await db.query(`SELECT object_id, details FROM audit_log WHERE action = 'tsm.action.update'`);
    expect(rows).toEqual([{ object_id: id, details: { from: { status: 'open', reviewDate: '2024-12-23' }, to: { status: 'done' } } }]);
  });

  it('exports the pack as PDF, XLSX and CSV (audited as exports)', async () => {
    const get = (file: string) => fetch(`${api.baseUrl}/exports/tsm/${ALPHA}/2024-25/${file}`, { headers: sessionHeaders(officer) });
    const pdf = await get('spring.pdf');
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const xlsx = await get('spring.xlsx');
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    const csv = await (await get('spring.csv')).text();
    expect(csv.split('\r\n')[0]).toMatch(/^section,upn,forename,surname,/);
    expect(csv).toContain(`At risk,${PUPILS.A1.upn},Amy,Adams`);
    expect((await get('winter.csv')).status).toBe(400);
    const db = api.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tsm.pack.export'`);
    expect(n).toBe(3);
  });
});
