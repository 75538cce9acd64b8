import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataLayout, loadPath } from '@rollbook/etl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import { Role } from './modules/access/roles.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, sessionHeaders, type TestSession } from './test/fixtures.js';

// Hostile uploads through the API (`POST /uploads/returns`): a zip bomb, unsafe entry names, an
// unsafe upload file name and a truncated zip. Each is answered with a rejected submission whose
// problems say why, the API stays up within bounded memory, and nothing lands outside its folders.

const OURS = 100001;
const ONE = `query ($id: ID!) { submission(id: $id) { status problems { code message } } }`;

/** A zip written by Python's zipfile (deflated), entries as given. */
function pyZip(out: string, entries: Record<string, string>): string {
  const script = 'import zipfile,sys,json\nz=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED)\nfor n,t in json.loads(sys.argv[2]).items():\n  z.writestr(n, ("0"*(64*1024*1024)) if t=="BOMB" else t)\nz.close()';
  execFileSync('python3', ['-c', script, out, JSON.stringify(entries)]);
  return out;
}

describe('hostile uploads through the API', () => {
  let dataDir: string;
  let api: RunningApi;
  let school: TestSession;

  const upload = async (file: string, name = path.basename(file)) => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(file)]), name);
    const response = await fetch(`${api.baseUrl}/uploads/returns`, { method: 'POST', headers: sessionHeaders(school), body: form, signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { submissions?: { id: string; status: string }[]; message?: string };
    return { status: response.status, body };
  };
  const problemsOf = async (id: string) => {
    const { data } = await graphql<{ submission: { status: string; problems: { code: string; message: string }[] } }>(api.baseUrl, ONE, { id }, school);
    return data!.submission;
  };

  beforeAll(async () => {
    dataDir = await makeDataDir();
    const schools = path.join(dataDir, 'in', 'schools.csv');
    mkdirSync(path.dirname(schools), { recursive: true });
    writeFileSync(schools, `urn,laestab,school_name,old_la_code,la_name,phase_type_grouping\n${OURS},3322001,"Our Primary",332,Dudley,State-funded primary\n`);
    await loadPath(schools, { layout: dataLayout(dataDir) });
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    school = await addUserAndSignIn(api, { email: 'head@our.example', role: Role.SCHOOL_USER, urn: OURS });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('rejects a zip bomb with a reason, within bounded memory', async () => {
    const rss = process.memoryUsage().rss;
    const { body } = await upload(pyZip(path.join(dataDir, 'in', 'bomb.zip'), { 'pupils.csv': 'urn,upn\n', 'marks.csv': 'BOMB' }));
    const submission = await problemsOf(body.submissions![0]!.id);
    expect(submission.status).toBe('rejected');
    expect(submission.problems.map((p) => p.code)).toContain('ZIP_TOO_LARGE');
    expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 ** 2);
  }, 60_000);

  it('rejects entries with unsafe paths, and keeps an unsafe upload name from choosing where the file goes', async () => {
    const evil = pyZip(path.join(dataDir, 'in', 'evil.zip'), { '../../pupils.csv': 'urn,upn\n', 'marks.csv': 'urn,upn,date,session,mark\n' });
    const { body } = await upload(evil, '../../../../rollbook-escaped.zip');
    const submission = await problemsOf(body.submissions![0]!.id);
    expect(submission.status).toBe('rejected');
    expect(submission.problems.map((p) => p.code)).toContain('ZIP_UNSAFE_PATH');
    for (const dir of [dataDir, path.dirname(dataDir), '/']) {
      expect(existsSync(path.join(dir, 'pupils.csv'))).toBe(false);
      expect(existsSync(path.join(dir, 'rollbook-escaped.zip'))).toBe(false);
    }
  }, 60_000);

  it('rejects a truncated zip as unreadable, and stays up', async () => {
    const whole = pyZip(path.join(dataDir, 'in', 'whole.zip'), { 'pupils.csv': 'urn,upn\n', 'marks.csv': 'urn,upn,date,session,mark\n' });
    const cut = path.join(dataDir, 'in', 'cut.zip');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 25));
    const { body } = await upload(cut);
    const submission = await problemsOf(body.submissions![0]!.id);
    expect(submission.status).toBe('rejected');
    expect(submission.problems.map((p) => p.code)).toContain('ZIP_UNREADABLE');
    expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
  }, 60_000);
});
