import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataLayout, loadPath, upnCheckLetter } from '@rollbook/etl';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, sessionHeaders, type TestSession } from '../../test/fixtures.js';
import { Role } from '../access/roles.js';

const OURS = 100001;
const THEIRS = 100002;
const upn = (serial: number) => {
  const body = `33220011${String(serial).padStart(4, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
};

function returnFolder(dir: string, urn: number, options: { badCode?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const pupils = [1, 2].map((i) => `${urn},${upn(urn % 100 * 10 + i)},Test,Pupil${i},2016-03-01,F,WBRI,3,2020-09-01,,C,N,N,N`);
  writeFileSync(path.join(dir, 'pupils.csv'), ['urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,sen_provision,eal', ...pupils].join('\n') + '\n');
  const marks = ['urn,upn,date,session,mark'];
  for (const i of [1, 2]) {
    for (const day of ['2024-11-04', '2024-11-05']) {
      marks.push(`${urn},${upn(urn % 100 * 10 + i)},${day},AM,${options.badCode && i === 2 ? 'H' : '/'}`, `${urn},${upn(urn % 100 * 10 + i)},${day},PM,\\`);
    }
  }
  writeFileSync(path.join(dir, 'marks.csv'), marks.join('\n') + '\n');
  return dir;
}

function zip(folder: string, out: string): string {
  execFileSync('python3', ['-c', 'import zipfile,sys,os\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor n in os.listdir(sys.argv[2]): z.write(os.path.join(sys.argv[2],n), n)\nz.close()', out, folder]);
  return out;
}

const LIST = `query ($urn: Int) { submissions(urn: $urn) { id submittedBy via kind fileName fileHash urn academicYear term status pupils marks errors } }`;
const ONE = `query ($id: ID!) { submission(id: $id) { id status errors problems { code file line column message } reportText } }`;

describe('submissions: history and uploads', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;
  let school: TestSession;
  let worker: TestSession;

  const upload = (file: string | null, session?: TestSession, csrf = true) => {
    const form = new FormData();
    if (file) form.append('file', new Blob([execFileSync('cat', [file])]), path.basename(file));
    const headers = sessionHeaders(session);
    if (!csrf) delete headers['x-csrf-token'];
    return fetch(`${api.baseUrl}/uploads/returns`, { method: 'POST', headers, body: form });
  };

  beforeAll(async () => {
    dataDir = await makeDataDir();
    const layout = dataLayout(dataDir);
    const schools = path.join(dataDir, 'in', 'schools.csv');
    mkdirSync(path.dirname(schools), { recursive: true });
    writeFileSync(
      schools,
      'urn,laestab,school_name,old_la_code,la_name,phase_type_grouping\n' +
        `${OURS},3322001,"Our Primary",332,Dudley,State-funded primary\n${THEIRS},3322002,"Their Primary",332,Dudley,State-funded primary\n`,
    );
    await loadPath(schools, { layout });
    // A load from the command line, recorded for the history.
    await loadPath(returnFolder(path.join(dataDir, 'in', 'cli-return'), THEIRS), { layout, submission: { submittedBy: 'cli:officer', via: 'cli' } });
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@la.example', role: Role.LA_OFFICER });
    school = await addUserAndSignIn(api, { email: 'head@our.example', role: Role.SCHOOL_USER, urn: OURS });
    worker = await addUserAndSignIn(api, { email: 'sw@la.example', role: Role.SOCIAL_WORKER, workerId: 'SW1' });
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('lists a load from the command line in the history', async () => {
    const { data, errors } = await graphql<{ submissions: Array<Record<string, unknown>> }>(api.baseUrl, LIST, { urn: THEIRS }, officer);
    expect(errors).toBeUndefined();
    expect(data!.submissions).toEqual([
      expect.objectContaining({ submittedBy: 'cli:officer', via: 'cli', kind: 'return', fileName: 'cli-return', urn: THEIRS, academicYear: '2024/25', term: 'autumn', status: 'loaded', pupils: 2, marks: 8, errors: 0 }),
    ]);
    expect(data!.submissions[0]!.fileHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads a school user\'s upload for their own school and answers the report', async () => {
    const res = await upload(zip(returnFolder(path.join(dataDir, 'in', 'ours'), OURS), path.join(dataDir, 'in', 'ours.zip')), school);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { submissions: Array<Record<string, unknown>> };
    expect(body.submissions).toEqual([expect.objectContaining({ via: 'upload', submittedBy: 'head@our.example', urn: OURS, status: 'loaded', errors: 0, marks: 8 })]);
    const db = api.app.get(DataSource);
    const [audit] = await db.query(`SELECT action, outcome, object_id FROM audit_log WHERE action = 'return.upload' ORDER BY at DESC LIMIT 1`);
    expect(audit).toMatchObject({ action: 'return.upload', outcome: 'ok', object_id: body.submissions[0]!.id });
  });

  it('rejects a bad upload whole, with the place of every problem in the report', async () => {
    const res = await upload(zip(returnFolder(path.join(dataDir, 'in', 'bad'), OURS, { badCode: true }), path.join(dataDir, 'in', 'bad.zip')), school);
    const body = (await res.json()) as { submissions: Array<{ id: string; status: string }> };
    expect(body.submissions[0]!.status).toBe('rejected');
    const { data } = await graphql<{ submission: { problems: Array<Record<string, unknown>>; reportText: string } }>(api.baseUrl, ONE, { id: body.submissions[0]!.id }, school);
    expect(data!.submission.problems).toContainEqual(expect.objectContaining({ code: 'MARK_CODE_INVALID', file: 'marks.csv', line: 6, column: 'mark' }));
    expect(data!.submission.reportText).toContain('ERROR MARK_CODE_INVALID (marks.csv, line 6, column mark)');
  });

  it("refuses a school user's return for another school", async () => {
    const res = await upload(zip(returnFolder(path.join(dataDir, 'in', 'theirs'), THEIRS), path.join(dataDir, 'in', 'theirs.zip')), school);
    const body = (await res.json()) as { submissions: Array<{ status: string; id: string }> };
    expect(body.submissions[0]!.status).toBe('rejected');
    const { data } = await graphql<{ submission: { problems: Array<{ code: string }> } }>(api.baseUrl, ONE, { id: body.submissions[0]!.id }, school);
    expect(data!.submission.problems.map((p) => p.code)).toContain('SCHOOL_NOT_YOURS');
  });

  it('asks for a .zip, refuses an upload without the CSRF header, and refuses roles that do not send returns', async () => {
    const notZip = path.join(dataDir, 'in', 'return.csv');
    writeFileSync(notZip, 'urn,upn\n');
    expect((await upload(notZip, school)).status).toBe(400);
    expect((await upload(null, school)).status).toBe(400);
    expect((await upload(path.join(dataDir, 'in', 'ours.zip'), school, false)).status).toBe(403);
    expect((await upload(path.join(dataDir, 'in', 'ours.zip'), worker)).status).toBe(403);
    const { errors } = await graphql(api.baseUrl, LIST, {}, worker);
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("shows a school user only their own school's submissions, and the LA's team all of them", async () => {
    const mine = await graphql<{ submissions: Array<{ urn: number | null }> }>(api.baseUrl, LIST, {}, school);
    // Their own school's, and the return they tried to send for another school (refused).
    expect(new Set(mine.data!.submissions.map((s) => s.urn))).toEqual(new Set([OURS, THEIRS]));
    expect(mine.data!.submissions.filter((s) => s.urn === THEIRS).map((s) => (s as { status?: string }).status ?? 'rejected')).not.toContain('loaded');
    const all = await graphql<{ submissions: Array<{ urn: number | null }> }>(api.baseUrl, LIST, {}, officer);
    expect(new Set(all.data!.submissions.map((s) => s.urn))).toEqual(new Set([OURS, THEIRS]));
  });
});
