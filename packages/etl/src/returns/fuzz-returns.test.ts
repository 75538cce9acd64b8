/**
 * Thousands of mutated termly returns thrown at the loader in one go: it never crashes, never loads
 * part of a return, and reports every rejection. Each return is for its own school, so what the
 * loader wrote for one can be checked on its own. Deterministic (seeded).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../demo/rng.js';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath, type LoadSummary } from '../load.js';
import { fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir } from '../testing/fixtures.js';

const RETURNS = 2000;
const FIRST_URN = 300000;
const days = schoolDays('2024-11-04', 5);
const TOKENS = ['/', '\\', 'L', 'I', 'O', 'G', 'N', 'U', 'M', 'C2', 'Y1', '#', 'D', 'X', 'H', 'J', 'zz', '', '"', ',', '\n', '\u0000', '\r\n', '2024-11-09', '2025-13-01', 'AM', 'PM', 'XM', '-5'];

let duck: Duck;
let root: string;
let layout: DataLayout;
let summary: LoadSummary;
const mutatedOf = new Map<number, string>();

function mutate(text: string, rand: () => number): { text: string; how: string } {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(rand() * n);
  const kind = pick(7);
  switch (kind) {
    case 0: {
      // a random token replaces a field
      const i = 1 + pick(lines.length - 2);
      const fields = lines[i].split(',');
      fields[pick(fields.length)] = TOKENS[pick(TOKENS.length)];
      lines[i] = fields.join(',');
      return { text: lines.join('\n'), how: 'field' };
    }
    case 1: {
      const i = 1 + pick(lines.length - 2);
      lines.splice(i, 0, lines[i]);
      return { text: lines.join('\n'), how: 'duplicate line' };
    }
    case 2: {
      const cut = pick(text.length);
      return { text: text.slice(0, cut), how: 'truncated' };
    }
    case 3: {
      const at = pick(text.length);
      return { text: text.slice(0, at) + TOKENS[pick(TOKENS.length)] + text.slice(at), how: 'inserted' };
    }
    case 4: {
      const at = pick(text.length);
      return { text: text.slice(0, at) + text.slice(at + 1 + pick(5)), how: 'deleted' };
    }
    case 5: {
      lines[0] = lines[0].split(',').reverse().join(',');
      return { text: lines.join('\n'), how: 'columns reordered' };
    }
    default: {
      const i = 1 + pick(lines.length - 2);
      lines.splice(i, 1);
      return { text: lines.join('\n'), how: 'line removed' };
    }
  }
}

beforeAll(async () => {
  duck = await openDuck();
  root = tempDir('rollbook-fuzz-');
  layout = dataLayout(path.join(root, 'data'));
  const schools = Array.from({ length: RETURNS }, (_, i) => ({ urn: FIRST_URN + i, la: '332', name: `School ${i}` }));
  writeFileSync(path.join(root, 'schools.csv'), schoolListCsv(schools));
  expect((await loadPath(path.join(root, 'schools.csv'), { layout })).loaded).toBe(1);
  const rng = new Rng(20261122);
  const rand = () => rng.next();
  for (let i = 0; i < RETURNS; i++) {
    const urn = FIRST_URN + i;
    const a = fixtureUpn(1);
    const b = fixtureUpn(2);
    const files: Record<string, string> = {
      'pupils.csv': pupilsCsv(urn, [
        { upn: a, dob: '2016-03-01', ncYear: '3' },
        { upn: b, dob: '2014-05-20', ncYear: '5' },
      ]),
      'marks.csv': marksCsv(urn, days, { [a]: ['/', '\\', 'I', 'I', '/', 'L', '/', '\\', '/', '\\'], [b]: ['/', '\\', 'O', '\\', '/', '\\', 'G', 'G', '/', '\\'] }),
    };
    // One return in ten is left as it is: those must all load.
    if (i % 10 !== 0) {
      const target = rand() < 0.7 ? 'marks.csv' : 'pupils.csv';
      const m = mutate(files[target], rand);
      files[target] = m.text;
      mutatedOf.set(urn, `${target}: ${m.how}`);
    }
    const dir = path.join(root, 'returns', String(urn));
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  }
  summary = await loadPath(path.join(root, 'returns'), { layout });
}, 600_000);

afterAll(() => duck?.close());

describe(`${RETURNS} mutated returns in one load`, () => {
  it('judges every return: loaded, or rejected with problems that name a file and say what is wrong', () => {
    expect(summary.returns.length).toBe(RETURNS);
    for (const r of summary.returns) {
      if (r.status === 'loaded') continue;
      const errors = r.problems.filter((p) => p.severity === 'error');
      expect(errors.length, `${r.source} (${mutatedOf.get(Number(path.basename(r.source)))})`).toBeGreaterThan(0);
      for (const p of errors) {
        expect(['pupils.csv', 'marks.csv']).toContain(p.file);
        expect(p.code).toMatch(/^[A-Z0-9_]+$/);
        expect(p.message.length).toBeGreaterThan(5);
      }
    }
    // Both outcomes really happen.
    expect(summary.rejected).toBeGreaterThan(RETURNS / 4);
    expect(summary.loaded).toBeGreaterThan(RETURNS / 10);
  });

  it('loads every untouched return', () => {
    for (const r of summary.returns) {
      const urn = Number(path.basename(r.source));
      if (!mutatedOf.has(urn)) expect(r.status, r.source).toBe('loaded');
    }
  });

  it('writes nothing of a rejected return, and all of a loaded one', async () => {
    const lake = await duck.all<{ urn: number; marks: number }>(
      `SELECT urn, CAST(count(*) AS INTEGER) AS marks FROM read_parquet($g, hive_partitioning = true) GROUP BY urn`,
      { g: path.join(layout.lake, 'marks', '**', '*.parquet') },
    );
    const mart = await duck.all<{ urn: number; pupils: number }>(
      `SELECT urn, CAST(count(DISTINCT upn) AS INTEGER) AS pupils FROM read_parquet($g, hive_partitioning = true) WHERE scope = 'operational' GROUP BY urn`,
      { g: path.join(layout.marts, 'fct_enrolment_term', '**', '*.parquet') },
    );
    const lakeMarks = new Map(lake.map((r) => [r.urn, r.marks]));
    const martPupils = new Map(mart.map((r) => [r.urn, r.pupils]));
    for (const r of summary.returns) {
      const urn = Number(path.basename(r.source));
      if (r.status === 'rejected') {
        expect(lakeMarks.has(urn), `lake marks of rejected ${urn}`).toBe(false);
        expect(martPupils.has(urn), `mart rows of rejected ${urn}`).toBe(false);
        expect(existsSync(path.join(layout.lake, 'pupils', 'la=332', 'academic_year=2024-25'))).toBe(true);
      } else {
        // Every line of marks.csv is a mark in the lake (counted here from the bytes, not by the
        // loader: a record the reader dropped silently would show), and every pupil with marks is
        // in the mart.
        const lines = readFileSync(path.join(r.source, 'marks.csv'), 'utf8').split('\n').slice(1).filter((l) => l.replace(/\r$/, '') !== '');
        expect(r.marks, `marks reported for ${urn} (${mutatedOf.get(urn) ?? 'untouched'})`).toBe(lines.length);
        expect(lakeMarks.get(urn), `lake marks of ${urn}`).toBe(r.marks);
        const pupilsWithMarks = new Set(lines.map((l) => l.split(',')[1])).size;
        expect(martPupils.get(urn), `mart pupils of ${urn}`).toBe(pupilsWithMarks);
      }
    }
  });
});
