/**
 * TSM packs built when a return loads (issue 7): three primary schools' autumn returns loaded by
 * the real CLI beside DfE's published autumn 2024/25 statistics; the API files the loader's queue,
 * the system builds and stores each school's pack, with the school against its similar schools,
 * the LA and England; an amended return uploaded later replaces the stored pack. Expected figures
 * are worked out by hand from the crafted registers, and England's from the raw DfE file.
 */
import 'reflect-metadata';
import { DuckDBInstance } from '@duckdb/node-api';
import { upnCheckLetter, type SubmissionRecord } from '@rollbook/etl';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { Role } from '../access/roles.js';
import { SubmissionsService } from '../submissions/submissions.service.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, sessionHeaders, type TestSession } from '../../test/fixtures.js';
import { TsmRepository } from './tsm.repository.js';
import { TsmService } from './tsm.service.js';
import { WarehouseService } from '../../warehouse/warehouse.service.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const AUTUMN = path.resolve(ROOT, '../shared/data/dfe/attendance-2024-25/EES_aut_data.csv');

const A = 100001;
const B = 100002;
const C = 100003;
/** Sessions missed (unauthorised, O) of 20 by each school's four pupils. */
const ABSENT: Record<number, number[]> = { [A]: [0, 1, 3, 12], [B]: [0, 0, 2, 4], [C]: [0, 0, 0, 1] };
const DAYS = ['2024-11-04', '2024-11-05', '2024-11-06', '2024-11-07', '2024-11-08', '2024-11-11', '2024-11-12', '2024-11-13', '2024-11-14', '2024-11-15'];

const upn = (urn: number, i: number) => {
  const body = `3322${String(urn % 1000).padStart(3, '0')}${String(i).padStart(5, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
};

/** A school's autumn return (or of the `days` given): pupil i misses the first `absent[i]` sessions (O), attends the rest. */
function returnFolder(dir: string, urn: number, absent: number[], days: readonly string[] = DAYS): string {
  mkdirSync(dir, { recursive: true });
  const header = 'urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,sen_provision,eal';
  const pupils = absent.map((_, i) => `${urn},${upn(urn, i)},Pupil,Number${i},2016-03-01,F,WBRI,3,2020-09-01,,C,${i % 2 ? 'Y' : 'N'},N,N`);
  writeFileSync(path.join(dir, 'pupils.csv'), [header, ...pupils].join('\n') + '\n');
  const marks = ['urn,upn,date,session,mark'];
  absent.forEach((missed, i) => {
    let n = 0;
    for (const day of days) {
      for (const session of ['AM', 'PM']) {
        marks.push(`${urn},${upn(urn, i)},${day},${session},${n < missed ? 'O' : session === 'AM' ? '/' : '\\'}`);
        n += 1;
      }
    }
  });
  writeFileSync(path.join(dir, 'marks.csv'), marks.join('\n') + '\n');
  return dir;
}

function rollbook(dataDir: string, ...args: string[]): void {
  execFileSync(process.execPath, [path.join(ROOT, 'packages/etl/bin/rollbook.mjs'), ...args, '--data-dir', dataDir], { env: { ...process.env, TZ: 'UTC' }, stdio: 'pipe' });
}

/** England's published autumn 2024/25 figure for primary schools, read from the raw DfE file. */
async function englandPrimary(column: 'overall_absence_perc' | 'pa_perc'): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${column} AS DOUBLE) AS v FROM read_csv($f, all_varchar = true)
       WHERE geographic_level = 'National' AND school_type = 'Primary' AND time_identifier = 'Autumn term' AND time_period = '202425'`,
      { f: AUTUMN },
    );
    const rows = reader.getRowObjectsJS();
    expect(rows).toHaveLength(1);
    return Number(rows[0]!.v);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const PACK = `query ($urn: Int!) { tsmPack(urn: $urn, academicYear: "2024/25", term: "autumn") {
  pupils { upn group }
  comparisons { kind label overallAbsencePerc persistentPerc severePerc note }
  stored { builtAt sourceSubmissionId returnLoadedAt severe persistent atRisk } } }`;
const PLANNER = `query { tsmPlanner(academicYear: "2024/25", term: "autumn") { urn storedPack { builtAt severe persistent atRisk } } }`;

/** Every field of the pack (to hold a pack read from kept figures against one built live). */
const FULL_PACK = `query ($urn: Int!) { tsmPack(urn: $urn, academicYear: "2024/25", term: "autumn") {
  urn schoolName academicYear term generatedOn
  pupils { upn forename surname ncYear group reasons possibleSessions overallAbsence unauthorisedAbsence daysMissed attendancePerc
    previousAttendancePerc trend mainReasons { code sessions } flags pattern familySummary
    actions { id meetingId meetingDate academicYear term upn cohort tier actionType owner reviewDate status notes overdue
      impact { beforeAttendancePerc afterAttendancePerc changePp direction } } }
  cohorts { cohort pupils attendancePerc persistentPerc }
  comparisons { kind label overallAbsencePerc persistentPerc severePerc note }
  cohortActions { id upn cohort tier actionType overdue impact { direction } }
  stored { builtAt sourceSubmissionId returnLoadedAt severe persistent atRisk } } }`;
const RECORD = `mutation ($input: TsmMeetingInput!) { recordTsmMeeting(input: $input) { meetingId actionIds } }`;

interface Comparison { kind: string; label: string; overallAbsencePerc: number | null; persistentPerc: number | null; severePerc: number | null; note: string | null }
interface Stored { builtAt: string; sourceSubmissionId: string | null; returnLoadedAt: string | null; severe: number; persistent: number; atRisk: number }
interface Pack { pupils: { upn: string; group: string | null }[]; comparisons: Comparison[]; stored: Stored | null }

describe('TSM packs built when returns load', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;
  const ask = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await graphql<T>(api.baseUrl, query, variables, officer);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as T;
  };
  const storedPack = async (urn: number) => {
    const [row] = await api.app.get(DataSource).query(`SELECT built_at, source_submission_id, severe, persistent, at_risk, pack FROM tsm_packs WHERE urn = $1`, [urn]);
    return row as { built_at: Date; source_submission_id: string; severe: number; persistent: number; at_risk: number; pack: Pack } | undefined;
  };

  beforeAll(async () => {
    dataDir = await makeDataDir();
    const schools = path.join(dataDir, 'in', 'schools.csv');
    mkdirSync(path.dirname(schools), { recursive: true });
    writeFileSync(
      schools,
      'urn,laestab,school_name,old_la_code,la_name,region_name,phase_type_grouping,headcount,fsm_eligible_pct,eal_pct\n' +
        `${A},3322001,Ash Primary,332,Dudley,West Midlands,State-funded primary,200,20,5\n` +
        `${B},3322002,Birch Primary,332,Dudley,West Midlands,State-funded primary,220,25,10\n` +
        `${C},3322003,Cedar Primary,332,Dudley,West Midlands,State-funded primary,260,40,15\n`,
    );
    rollbook(dataDir, 'load', schools, AUTUMN);
    for (const urn of [A, B, C]) rollbook(dataDir, 'load', returnFolder(path.join(dataDir, 'in', `r${urn}`), urn, ABSENT[urn]!));
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@la.example', role: Role.LA_OFFICER });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('files the loads and stores each school’s pack, built by the system (audited)', async () => {
    expect(await storedPack(A)).toBeUndefined();
    // What the API's timer does every 10 s: file the loader's queue, which tells the listeners.
    expect(await api.app.get(SubmissionsService).importPending()).toBeGreaterThanOrEqual(4);
    await api.app.get(TsmService).packsSettled();
    const a = await storedPack(A);
    // Ash: 60 % missed → severe; 15 % → persistent; 5 % → at risk; 0 % → not on the pack.
    expect(a).toMatchObject({ severe: 1, persistent: 1, at_risk: 1 });
    expect(a!.pack.pupils.map((p) => [p.upn, p.group])).toEqual([[upn(A, 3), 'severe'], [upn(A, 2), 'persistent'], [upn(A, 1), 'atRisk']]);
    expect(await storedPack(B)).toMatchObject({ severe: 0, persistent: 2, at_risk: 0 });
    expect(await storedPack(C)).toMatchObject({ severe: 0, persistent: 0, at_risk: 1 });

    const audit = await api.app.get(DataSource).query(`SELECT user_id, user_email, user_role, action, object_id, child_upns, details FROM audit_log WHERE user_email = 'system:tsm-packs' ORDER BY object_id`);
    expect(audit.map((r: { object_id: string }) => r.object_id)).toEqual([String(A), String(B), String(C)]);
    expect(audit[0]).toMatchObject({ user_id: null, user_role: 'system', action: 'tsm.pack.build' });
    expect([...audit[0].child_upns].sort()).toEqual([upn(A, 3), upn(A, 2), upn(A, 1)].sort());
    expect(audit[0].details.builtAfterLoad).toBe(a!.source_submission_id);

    const planner = (await ask<{ tsmPlanner: { urn: number; storedPack: Omit<Stored, 'sourceSubmissionId' | 'returnLoadedAt'> | null }[] }>(PLANNER)).tsmPlanner;
    expect(planner.map((r) => [r.urn, r.storedPack?.severe, r.storedPack?.persistent, r.storedPack?.atRisk])).toEqual([[A, 1, 1, 1], [B, 0, 2, 0], [C, 0, 0, 1]]);
  });

  it('compares the school with its similar schools, the LA and England, by the benchmark measures', async () => {
    const pack = (await ask<{ tsmPack: Pack }>(PACK, { urn: A })).tsmPack;
    const [school, similar, la, england] = pack.comparisons;
    expect(pack.comparisons.map((c) => c.kind)).toEqual(['school', 'similar', 'la', 'england']);
    // Ash: 16 of 80 sessions; 2 of 4 pupils persistently absent, 1 severely.
    expect(school).toMatchObject({ label: 'Ash Primary', note: null });
    expect(school!.overallAbsencePerc).toBeCloseTo(20, 10);
    expect(school!.persistentPerc).toBeCloseTo(50, 10);
    expect(school!.severePerc).toBeCloseTo(25, 10);
    // Birch and Cedar, pooled: 7 of 160 sessions; 2 of 8 pupils persistent, none severe.
    expect(similar!.label).toBe('Similar schools (2)');
    expect(similar!.note).toContain('The 2 primary schools of the LA nearest to this one');
    expect(similar!.note).toContain('2 of them have a return this term');
    expect(similar!.overallAbsencePerc).toBeCloseTo(4.375, 10);
    expect(similar!.persistentPerc).toBeCloseTo(25, 10);
    expect(similar!.severePerc).toBe(0);
    // The LA: 23 of 240 sessions; 4 of 12 persistent; 1 of 12 severe.
    expect(la!.overallAbsencePerc).toBeCloseTo((23 * 100) / 240, 10);
    expect(la!.persistentPerc).toBeCloseTo((4 * 100) / 12, 10);
    expect(la!.severePerc).toBeCloseTo((1 * 100) / 12, 10);
    expect(england!.overallAbsencePerc).toBeCloseTo(await englandPrimary('overall_absence_perc'), 10);
    expect(england!.persistentPerc).toBeCloseTo(await englandPrimary('pa_perc'), 10);
    expect(england!.severePerc).toBeNull();
    expect(england!.note).toContain('primary schools, autumn term 2024/25');
    expect(england!.note).toContain('does not publish severe absence');

    // The stored pack carries the same comparisons, and the query says when it was built.
    expect((await storedPack(A))!.pack.comparisons).toEqual(pack.comparisons);
    expect(pack.stored).toMatchObject({ severe: 1, persistent: 1, atRisk: 1 });
    expect(Date.parse(pack.stored!.builtAt)).toBeGreaterThan(Date.parse(pack.stored!.returnLoadedAt!));
  });

  it('the comparisons download as CSV', async () => {
    const res = await fetch(`${api.baseUrl}/exports/tsm/${A}/2024-25/autumn-comparisons.csv`, { headers: sessionHeaders(officer) });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('kind,label,overall_absence_perc,persistent_perc,severe_perc,note');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'school,Ash Primary,20,50,25',
      'similar,Similar schools (2),4.4,25,0',
      'la,Local authority,9.6,33.3,8.3',
      `england,England,${Math.round((await englandPrimary('overall_absence_perc')) * 10) / 10},${Math.round((await englandPrimary('pa_perc')) * 10) / 10},`,
    ]);
  });

  it('an amended return uploaded later replaces the stored pack', async () => {
    const before = (await storedPack(A))!;
    // Pupil 1 now missed 10 of 20 sessions (50 %: severe); pupil 0 still none.
    const folder = returnFolder(path.join(dataDir, 'in', 'amended'), A, [0, 10, 3, 12]);
    const zip = path.join(dataDir, 'in', 'amended.zip');
    execFileSync('python3', ['-c', 'import zipfile,sys,os\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor n in os.listdir(sys.argv[2]): z.write(os.path.join(sys.argv[2],n), n)\nz.close()', zip, folder]);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(zip)]), 'amended.zip');
    const res = await fetch(`${api.baseUrl}/uploads/returns`, { method: 'POST', headers: sessionHeaders(officer), body: form });
    expect(res.status).toBe(201);
    const [submission] = ((await res.json()) as { submissions: { id: string; status: string }[] }).submissions;
    expect(submission!.status).toBe('loaded');
    await api.app.get(TsmService).packsSettled();

    const after = (await storedPack(A))!;
    expect(after.source_submission_id).toBe(submission!.id);
    expect(after.built_at.getTime()).toBeGreaterThan(before.built_at.getTime());
    expect(after).toMatchObject({ severe: 2, persistent: 1, at_risk: 0 });
    expect(after.pack.pupils.map((p) => [p.upn, p.group])).toEqual([[upn(A, 3), 'severe'], [upn(A, 1), 'severe'], [upn(A, 2), 'persistent']]);
    // 25 of 80 sessions now; the other schools' stored packs are left as they were.
    expect(after.pack.comparisons[0]!.overallAbsencePerc).toBeCloseTo(31.25, 10);
    expect((await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM tsm_packs`))[0].n).toBe(3);
  });

  /** Spies on the pack's warehouse queries (the pupils' terms and their register marks), calling through. */
  const warehouseQueries = () => {
    const repository = api.app.get(TsmRepository);
    const spies = [vi.spyOn(repository, 'pupilTerms'), vi.spyOn(repository, 'pupilMarks')];
    return { calls: () => spies.map((s) => s.mock.calls.length), restore: () => spies.forEach((s) => s.mockRestore()) };
  };
  const reads = async () => (await api.app.get(DataSource).query(`SELECT child_upns FROM audit_log WHERE action = 'tsm.pack.read' AND object_id = $1 ORDER BY id`, [String(A)])) as { child_upns: string[] }[];

  it('reads a pack from its kept figures while the warehouse is unchanged, as a live build gives it, audited each time', async () => {
    const db = api.app.get(DataSource);
    const queries = warehouseQueries();
    const audited = (await reads()).length;
    try {
      // The figures kept when the amended return loaded: no DuckDB query for the pack.
      const kept = (await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack;
      expect(queries.calls()).toEqual([0, 0]);
      expect(kept.pupils.map((p) => [p.upn, p.group])).toEqual([[upn(A, 3), 'severe'], [upn(A, 1), 'severe'], [upn(A, 2), 'persistent']]);
      // Without them the read works the pack out from the warehouse, and keeps its figures again.
      await db.query(`DELETE FROM tsm_pack_figures WHERE urn = $1`, [A]);
      api.app.get(TsmRepository).forgetHeldFigures();
      const live = (await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack;
      expect(queries.calls()).toEqual([1, 1]);
      expect(kept).toEqual(live);
      expect((await db.query(`SELECT count(*)::int AS n FROM tsm_pack_figures WHERE urn = $1`, [A]))[0].n).toBe(1);
      const audit = (await reads()).slice(audited);
      expect(audit).toHaveLength(2);
      for (const r of audit) expect([...r.child_upns].sort()).toEqual([upn(A, 1), upn(A, 2), upn(A, 3)].sort());
    } finally {
      queries.restore();
    }
  });

  it('holds kept figures in memory once read: PostgreSQL is not asked for them again while they are current', async () => {
    const db = api.app.get(DataSource);
    const first = (await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack;
    const spy = vi.spyOn(db, 'query');
    const figureReads = () => spy.mock.calls.filter(([text]) => String(text).includes('FROM tsm_pack_figures')).length;
    try {
      expect((await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack).toEqual(first);
      expect(figureReads()).toBe(0);
      api.app.get(TsmRepository).forgetHeldFigures();
      expect((await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack).toEqual(first);
      expect(figureReads()).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a school user reads only their own school’s pack, from the same kept figures', async () => {
    const head = await addUserAndSignIn(api, { email: 'head@ash.example', role: Role.SCHOOL_USER, urn: A });
    const other = await addUserAndSignIn(api, { email: 'head@birch.example', role: Role.SCHOOL_USER, urn: B });
    const queries = warehouseQueries();
    try {
      const own = await graphql<{ tsmPack: Pack }>(api.baseUrl, FULL_PACK, { urn: A }, head);
      expect(own.errors).toBeUndefined();
      expect(queries.calls()).toEqual([0, 0]);
      const officers = (await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack;
      expect(own.data!.tsmPack.pupils).toEqual(officers.pupils);
      const refused = await graphql(api.baseUrl, FULL_PACK, { urn: A }, other);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SCHOOL_NOT_COVERED' });
    } finally {
      queries.restore();
    }
  });

  it('an action recorded after the build shows in the next read, without querying the warehouse again', async () => {
    const recorded = await ask<{ recordTsmMeeting: { actionIds: string[] } }>(RECORD, {
      input: {
        urn: A,
        academicYear: '2024/25',
        term: 'autumn',
        meetingDate: '2024-12-02',
        attendees: [{ name: 'Pat Head', role: 'Headteacher', organisation: 'school' }],
        actions: [{ upn: upn(A, 3), tier: 'targeted', actionType: 'family_meeting', owner: 'Head of year' }],
      },
    });
    const queries = warehouseQueries();
    try {
      const kept = (await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack;
      expect(queries.calls()).toEqual([0, 0]);
      const pupil = kept.pupils.find((p) => p.upn === upn(A, 3)) as unknown as { actions: unknown[] };
      // 12 of 20 sessions missed in the meeting's own term: 40 % attendance, nothing after yet; the review (three weeks on) is past.
      expect(pupil.actions).toMatchObject([
        { id: recorded.recordTsmMeeting.actionIds[0], reviewDate: '2024-12-23', status: 'open', overdue: true, impact: { beforeAttendancePerc: 40, afterAttendancePerc: null, changePp: null, direction: 'insufficient' } },
      ]);
      await api.app.get(DataSource).query(`DELETE FROM tsm_pack_figures WHERE urn = $1`, [A]);
      api.app.get(TsmRepository).forgetHeldFigures();
      expect((await ask<{ tsmPack: Pack }>(FULL_PACK, { urn: A })).tsmPack).toEqual(kept);
      expect(queries.calls()).toEqual([1, 1]);
    } finally {
      queries.restore();
    }
  });

  it('an older term loaded later neither builds nor replaces the newer stored pack; the load makes the kept figures stale', async () => {
    const db = api.app.get(DataSource);
    const before = (await storedPack(A))!;
    const builds = async () => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'tsm.pack.build'`))[0].n as number;
    const built = await builds();
    const [{ warehouse_version: version }] = await db.query(`SELECT warehouse_version FROM tsm_pack_figures WHERE urn = $1`, [A]);
    // Summer 2023/24, the term before the stored pack's: every pupil missed every session.
    const summer = ['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07'];
    rollbook(dataDir, 'load', returnFolder(path.join(dataDir, 'in', 'summer'), A, [10, 10, 10, 10], summer));
    expect(await api.app.get(SubmissionsService).importPending()).toBeGreaterThanOrEqual(1);
    await api.app.get(TsmService).packsSettled();

    expect(await builds()).toBe(built);
    const after = (await storedPack(A))!;
    expect(after.built_at.getTime()).toBe(before.built_at.getTime());
    expect(after.source_submission_id).toBe(before.source_submission_id);
    expect(await db.query(`SELECT academic_year, term FROM tsm_packs WHERE urn = $1`, [A])).toEqual([{ academic_year: '2024/25', term: 'autumn' }]);

    // The warehouse changed: the next read works the pack out again (the summer term is now the
    // term before), and keeps the new figures for the reads after it.
    const queries = warehouseQueries();
    try {
      const rebuilt = (await ask<{ tsmPack: { pupils: { upn: string; previousAttendancePerc: number | null }[] } }>(FULL_PACK, { urn: A })).tsmPack;
      expect(queries.calls()).toEqual([1, 1]);
      expect(rebuilt.pupils.map((p) => p.upn)).toEqual(expect.arrayContaining([upn(A, 1), upn(A, 2), upn(A, 3)]));
      expect(rebuilt.pupils.every((p) => p.previousAttendancePerc === 0)).toBe(true);
      const [{ warehouse_version: now }] = await db.query(`SELECT warehouse_version FROM tsm_pack_figures WHERE urn = $1`, [A]);
      expect(now).not.toBe(version);
      expect((await ask<{ tsmPack: unknown }>(FULL_PACK, { urn: A })).tsmPack).toEqual(rebuilt);
      expect(queries.calls()).toEqual([1, 1]);
    } finally {
      queries.restore();
    }
  });

  it('a pack queued behind a later term of the same school, filed meanwhile, is left for that term', async () => {
    const db = api.app.get(DataSource);
    const tsm = api.app.get(TsmService);
    const record = (id: string, term: string): SubmissionRecord => ({
      id, submittedAt: new Date().toISOString(), submittedBy: 'cli:test', via: 'cli', kind: 'return', source: 'test', fileHash: id, storedPath: null,
      urn: C, laCode: '332', academicYear: '2024/25', term, status: 'loaded', rows: { pupils: 4, marks: 80 }, errors: 0, warnings: 0, problems: [],
    });
    const builds = async () => (await db.query(`SELECT details FROM audit_log WHERE action = 'tsm.pack.build' AND object_id = $1 ORDER BY id`, [String(C)])) as { details: { term: string; builtAfterLoad: string } }[];
    const built = (await builds()).length;
    // Two batches filed ten seconds apart: Cedar's autumn return again, then its spring return,
    // which is filed while the first batch's build is still waiting its turn.
    tsm.packsAfterLoad([record('autumn-again', 'autumn')]);
    tsm.packsAfterLoad([record('spring', 'spring')]);
    await tsm.packsSettled();
    expect((await builds()).slice(built).map((b) => [b.details.term, b.details.builtAfterLoad])).toEqual([['spring', 'spring']]);
    // The autumn pack stored before is removed rather than left stale beside a newer one.
    expect(await db.query(`SELECT term, source_submission_id FROM tsm_packs WHERE urn = $1`, [C])).toEqual([{ term: 'spring', source_submission_id: 'spring' }]);
    // The same year's earlier term is worked out ahead too (kept figures, not a stored pack), so
    // looking back to autumn opens at once.
    const kept = (await db.query(`SELECT term, warehouse_version FROM tsm_pack_figures WHERE urn = $1 AND academic_year = '2024/25' ORDER BY term`, [C])) as { term: string; warehouse_version: string }[];
    expect(kept.map((k) => k.term)).toEqual(['autumn', 'spring']);
    // Both worked out against the warehouse as it is now (an autumn row left from an earlier read would be older).
    expect(kept[0]!.warehouse_version).toBe(api.app.get(WarehouseService).currentVersion());
    expect(kept[1]!.warehouse_version).toBe(kept[0]!.warehouse_version);
  });

  // Last: it removes the year.
  it('a purge of the year takes its stored packs, kept figures, the returns\' problem details and kept copies with it', async () => {
    const db = api.app.get(DataSource);
    const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE academic_year = '2024/25'`))[0].n);
    expect(await count('tsm_packs')).toBeGreaterThan(0);
    expect(await count('tsm_pack_figures')).toBeGreaterThan(0);
    const copies = (await db.query(`SELECT id, stored_path FROM submissions WHERE kind = 'return' AND academic_year = '2024/25' AND stored_path IS NOT NULL`)) as { id: string; stored_path: string }[];
    expect(copies.length).toBeGreaterThan(0);
    // 2024/25 ended 2025-07-31: past six years on 2031-09-01.
    rollbook(dataDir, 'purge', '--older-than', '6y', '--as-of', '2031-09-01');
    for (const c of copies) expect(existsSync(path.join(dataDir, c.stored_path))).toBe(false);
    expect(await api.app.get(SubmissionsService).importPending()).toBeGreaterThanOrEqual(1);
    expect(await count('tsm_packs')).toBe(0);
    expect(await count('tsm_pack_figures')).toBe(0);
    const returns = (await db.query(`SELECT problems, stored_path, marks FROM submissions WHERE kind = 'return' AND academic_year = '2024/25'`)) as { problems: unknown[]; stored_path: string | null; marks: number }[];
    expect(returns.length).toBeGreaterThan(0);
    for (const r of returns) expect(r).toMatchObject({ problems: [], stored_path: null });
    // The counts stay, and the purge itself is in the history.
    expect(returns.some((r) => r.marks > 0)).toBe(true);
    // One record per year removed (the older terms loaded above are of 2023/24).
    const purges = (await db.query(`SELECT kind, academic_year, status, marks FROM submissions WHERE kind = 'purge' ORDER BY academic_year`)) as { academic_year: string; marks: number }[];
    expect(purges.map((p) => p.academic_year)).toContain('2024/25');
    expect(purges.find((p) => p.academic_year === '2024/25')).toMatchObject({ kind: 'purge', status: 'loaded' });
    for (const p of purges) expect(p.marks).toBeGreaterThan(0);
  });
});
