import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath, type LoadSummary } from '../load.js';
import { FIXTURE_URN, fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir } from '../testing/fixtures.js';

// Every file reader gets mutated copies of a real (or fixture) sample: bytes cut, lines doubled or
// swapped, quotes, separators, NUL and control characters, a huge field, a BOM, a truncated end.
// Each load must end with the file loaded or rejected with problems that say what is wrong —
// never another exception, never a hang — and a rejected file must leave the lake and marts
// byte for byte as they were (never a partial load).

const SHARED = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
const headLines = (file: string, n: number) => readFileSync(file, 'utf8').split('\n').slice(0, n).join('\n') + '\n';

const days = schoolDays('2024-11-04', 3);
const A = fixtureUpn(1);
const B = fixtureUpn(2);

interface Sample {
  name: string;
  /** Files written into a fresh folder; `target` is the one mutated. */
  files: () => Record<string, string>;
  target: string;
  /** Load the folder (a return) rather than the one file. */
  folder?: boolean;
  /** The LA given with `--la` (default 332). */
  la?: string;
}

const SAMPLES: Sample[] = [
  {
    name: 'termly return',
    folder: true,
    target: 'marks.csv',
    files: () => ({
      'pupils.csv': pupilsCsv(FIXTURE_URN, [
        { upn: A, dob: '2016-03-01', ncYear: '3' },
        { upn: B, dob: '2014-05-20', ncYear: '5' },
      ]),
      'marks.csv': marksCsv(FIXTURE_URN, days, { [A]: ['/', '\\', 'I', 'I', '/', 'L'], [B]: ['/', '\\', 'O', '\\', '/', '\\'] }),
    }),
  },
  {
    name: 'termly return (pupils)',
    folder: true,
    target: 'pupils.csv',
    files: () => ({
      'pupils.csv': pupilsCsv(FIXTURE_URN, [
        { upn: A, dob: '2016-03-01', ncYear: '3' },
        { upn: B, dob: '2014-05-20', ncYear: '5' },
      ]),
      'marks.csv': marksCsv(FIXTURE_URN, days, { [A]: ['/', '\\', 'I', 'I', '/', 'L'], [B]: ['/', '\\', 'O', '\\', '/', '\\'] }),
    }),
  },
  {
    name: 'school list',
    target: 'schools.csv',
    files: () => ({ 'schools.csv': schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }, { urn: 103813, la: '332', name: 'Other, Quoted School' }]) }),
  },
  { name: 'SSDA903 episodes', target: 'episodes.csv', files: () => ({ 'episodes.csv': headLines(path.join(SHARED, 'csc/ssda903/d2i_episodes.csv'), 30) }) },
  { name: 'SSDA903 header', target: 'header.csv', files: () => ({ 'header.csv': headLines(path.join(SHARED, 'csc/ssda903/d2i_header.csv'), 30) }) },
  {
    name: 'caseloads',
    target: 'caseloads.csv',
    files: () => ({
      'caseloads.csv': `worker_id,worker_name,worker_email,team,la_child_id,upn,start_date,end_date\nW1,Sam Worker,sam@la.example,North,C1,${A},2024-09-01,\nW1,Sam Worker,sam@la.example,North,C2,${B},2024-01-10,2024-12-20\n`,
    }),
  },
  { name: 'CIN census XML', target: 'cin.xml', la: '201', files: () => ({ 'cin.xml': readFileSync(path.join(SHARED, 'csc/cin/d2i_CIN_Census_2024.xml'), 'utf8') }) },
  { name: 'statistical neighbours', target: 'sn.csv', files: () => ({ 'sn.csv': headLines(path.join(SHARED, 'dfe/statistical-neighbours/dfe_sn_may_2025_long.csv'), 31) }) },
  { name: 'DfE published attendance', target: 'ees.csv', files: () => ({ 'ees.csv': headLines(path.join(SHARED, 'dfe/attendance-2024-25/EES_ytd_data_202425.csv'), 40) }) },
];

/** One edit: [position, length cut, text inserted]; applied in order. */
const INSERTS = ['"', ',', '\n', '\r\n', '\u0000', '\u001b', '\uFEFF', ';', '\t', '<', '</Child>', '&amp;', '2024-13-45', '-1', '99999999999999999999', 'é', '\uD800', 'x'.repeat(100_000)];
const edits = fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 5 });
const lineOps = fc.constantFrom('none', 'duplicate', 'swap', 'truncate', 'drop-header');

function mutate(text: string, changes: [number, number, string][], op: string, seed: number): string {
  let out = text;
  for (const [at, cut, insert] of changes) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + cut);
  }
  const lines = out.split('\n');
  const k = lines.length > 1 ? 1 + (seed % (lines.length - 1)) : 0;
  switch (op) {
    case 'duplicate':
      lines.splice(k, 0, lines[k] ?? '');
      return lines.join('\n');
    case 'swap':
      [lines[0], lines[k]] = [lines[k] ?? '', lines[0] ?? ''];
      return lines.join('\n');
    case 'truncate':
      return out.slice(0, seed % (out.length + 1));
    case 'drop-header':
      return lines.slice(1).join('\n');
    default:
      return out;
  }
}

/** Every file of the lake and marts with its size and modification time. */
function fingerprint(layout: DataLayout): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        parts.push(`${path.relative(layout.root, full)}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(layout.lake);
  walk(layout.marts);
  return parts.join('\n');
}

function rejectedOf(summary: LoadSummary): { problems: { message: string }[] }[] {
  return [...summary.files.filter((f) => f.status === 'rejected'), ...summary.returns.filter((r) => r.status === 'rejected')];
}

describe('file readers under mutated input', () => {
  let root: string;
  let layout: DataLayout;

  beforeAll(async () => {
    root = tempDir();
    layout = dataLayout(path.join(root, 'data'));
    writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }]));
    expect((await loadPath(path.join(root, 'schools.csv'), { layout })).loaded).toBe(1);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const sample of SAMPLES) {
    it(`${sample.name}: loaded whole or rejected with a clear problem, never a partial load`, async () => {
      // The sample itself is good: it loads.
      const good = path.join(root, `${sample.target}-good`);
      mkdirSync(good, { recursive: true });
      for (const [name, text] of Object.entries(sample.files())) writeFileSync(path.join(good, name), text);
      const baseline = await loadPath(sample.folder ? good : path.join(good, sample.target), { layout, laCode: sample.la ?? '332' });
      expect(rejectedOf(baseline).map((r) => r.problems)).toEqual([]);
      expect(baseline.loaded).toBe(1);

      let run = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(edits, lineOps, fc.nat(), async (changes, op, seed) => {
          const dir = path.join(root, `${sample.target}-${run++}`);
          mkdirSync(dir, { recursive: true });
          for (const [name, text] of Object.entries(sample.files())) {
            writeFileSync(path.join(dir, name), name === sample.target ? mutate(text, changes, op, seed) : text);
          }
          const before = fingerprint(layout);
          const summary = await loadPath(sample.folder ? dir : path.join(dir, sample.target), { layout, laCode: sample.la ?? '332', lockTimeoutMs: 30_000 });
          const bad = rejectedOf(summary);
          refused += bad.length + summary.unrecognised.length;
          if (summary.loaded === 0) {
            expect(fingerprint(layout), 'nothing written when the file is refused or not recognised').toBe(before);
          }
          for (const r of bad) {
            expect(r.problems.length).toBeGreaterThan(0);
            for (const p of r.problems) expect(p.message.length).toBeGreaterThan(5);
          }
        }),
        { numRuns: 12, seed: 9 },
      );
      expect(refused, 'some mutations are refused').toBeGreaterThan(0);
    }, 120_000);
  }
});
