import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { FIXTURE_URN, fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir } from '../testing/fixtures.js';

// Hostile uploads: zip bombs (honest and lying about their size), unsafe entry names, and files
// that only pretend to be zips. Each is refused with a problem that says why, quickly and within
// bounded memory, with nothing written outside the temp folder and nothing left behind in it.

interface Entry {
  name: string;
  data: Buffer;
  /** Uncompressed size written in the headers (a lie, when it differs from the data). */
  declaredSize?: number;
}

/** A .zip of deflated entries, written by hand so a test can lie in its headers. */
function deflatedZip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 9 });
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const A = fixtureUpn(1);
const days = schoolDays('2024-11-04', 2);
const pupils = () => Buffer.from(pupilsCsv(FIXTURE_URN, [{ upn: A, dob: '2016-03-01', ncYear: '3' }]));
const marks = () => Buffer.from(marksCsv(FIXTURE_URN, days, { [A]: ['/', '\\', '/', '\\'] }));
/** 64 MB of one character: deflates about a thousand to one. */
const bomb = () => Buffer.alloc(64 * 1024 ** 2, 0x30);

describe('hostile zip uploads', () => {
  let root: string;
  let layout: DataLayout;

  beforeEach(async () => {
    root = tempDir();
    layout = dataLayout(path.join(root, 'data'));
    writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }]));
    expect((await loadPath(path.join(root, 'schools.csv'), { layout })).loaded).toBe(1);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function load(name: string, zip: Buffer) {
    const file = path.join(root, name);
    writeFileSync(file, zip);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const summary = await loadPath(file, { layout });
    const report = summary.returns[0]!;
    return { report, ms: performance.now() - started, rssGrowth: process.memoryUsage().rss - rssBefore };
  }

  const leftInTmp = () => (existsSync(layout.tmp) ? readdirSync(layout.tmp) : []);

  it('the honest sample loads (so the refusals below are about the hostile parts)', async () => {
    const { report } = await load('return.zip', deflatedZip([{ name: 'pupils.csv', data: pupils() }, { name: 'marks.csv', data: marks() }]));
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.status).toBe('loaded');
  });

  it('refuses a zip bomb before inflating it', async () => {
    const { report, ms, rssGrowth } = await load('bomb.zip', deflatedZip([{ name: 'pupils.csv', data: pupils() }, { name: 'marks.csv', data: bomb() }]));
    expect(report.status).toBe('rejected');
    expect(report.problems.map((p) => p.code)).toContain('ZIP_TOO_LARGE');
    expect(ms).toBeLessThan(10_000);
    expect(rssGrowth).toBeLessThan(256 * 1024 ** 2);
    expect(leftInTmp()).toEqual([]);
  });

  it('refuses a zip whose headers understate what it inflates to, without filling the disk', async () => {
    const { report, ms } = await load('liar.zip', deflatedZip([{ name: 'pupils.csv', data: pupils() }, { name: 'marks.csv', data: bomb(), declaredSize: 1_000 }]));
    expect(report.status).toBe('rejected');
    const problem = report.problems.find((p) => p.severity === 'error')!;
    expect(problem.code).toMatch(/^ZIP_/);
    expect(problem.message.length).toBeGreaterThan(10);
    expect(ms).toBeLessThan(10_000);
    expect(leftInTmp()).toEqual([]);
  });

  it.each([
    ['../../pupils.csv'],
    ['..\\..\\pupils.csv'],
    ['/etc/pupils.csv'],
    ['C:/temp/pupils.csv'],
    ['ok/../../pupils.csv'],
  ])('refuses an entry named %s and writes nothing outside', async (name) => {
    const { report } = await load('evil.zip', deflatedZip([{ name, data: pupils() }, { name: 'marks.csv', data: marks() }]));
    expect(report.status).toBe('rejected');
    expect(report.problems.map((p) => p.code)).toContain('ZIP_UNSAFE_PATH');
    expect(existsSync(path.join(root, 'pupils.csv'))).toBe(false);
    expect(existsSync(path.join(path.dirname(root), 'pupils.csv'))).toBe(false);
    expect(leftInTmp()).toEqual([]);
  });

  it('says a truncated zip or a file that only has a .zip name is not a readable zip', async () => {
    const whole = deflatedZip([{ name: 'pupils.csv', data: pupils() }, { name: 'marks.csv', data: marks() }]);
    for (const [name, bytes] of [
      ['cut.zip', whole.subarray(0, whole.length - 30)],
      ['fake.zip', Buffer.from('urn,upn\n1,2\n')],
    ] as const) {
      const { report } = await load(name, bytes);
      expect(report.status, name).toBe('rejected');
      expect(report.problems.map((p) => p.code), name).toContain('ZIP_UNREADABLE');
    }
  });
});
