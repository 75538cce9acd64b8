import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listValue } from '@duckdb/node-api';
import { withDuck } from '../duckdb.js';
import { generateDemo, type DemoSummary } from './index.js';
import { isValidUpn } from './upn.js';

// ADR 0001: the public data sits beside the repository, in ../shared/data.
const PUBLIC = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
const MARKS = ['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'D', 'C1', 'M', 'J1', 'S', 'X', 'C2', 'C', 'T', 'R', 'I', 'E', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'G', 'N', 'O', 'U', 'Z', '#'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
}

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of filesUnder(dir)) {
    let data = readFileSync(path.join(dir, f), 'utf8');
    if (f === 'manifest.json') data = data.replaceAll(dir, '<outDir>');
    out.set(f, createHash('sha256').update(data).digest('hex'));
  }
  return out;
}

describe('generateDemo (small LA)', () => {
  let a: string;
  let b: string;
  let summary: DemoSummary;

  beforeAll(async () => {
    a = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-a-'));
    b = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-b-'));
    summary = await generateDemo({ outDir: a, publicDataDir: PUBLIC, pupils: 2500, seed: 7 });
    await generateDemo({ outDir: b, publicDataDir: PUBLIC, pupils: 2500, seed: 7 });
  }, 60_000);

  afterAll(() => {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const da = digest(a);
    expect([...da.keys()]).toEqual([...digest(b).keys()]);
    expect(digest(b)).toEqual(da);
    const c = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-c-'));
    try {
      await generateDemo({ outDir: c, publicDataDir: PUBLIC, pupils: 2500, seed: 8 });
      const dc = digest(c);
      const marksFile = [...da.keys()].find((f) => f.endsWith('marks.csv'))!;
      expect(dc.get(marksFile)).not.toBe(da.get(marksFile));
    } finally {
      rmSync(c, { recursive: true, force: true });
    }
  });

  it('summarises what it wrote, with one return per school per term', () => {
    expect(summary.laName).toBe('Dudley');
    expect(summary.academicYear).toBe('2024/25');
    expect(summary.pupils).toBeGreaterThan(2300);
    expect(summary.pupils).toBeLessThan(2700);
    const returns = readdirSync(path.join(a, 'returns'));
    expect(returns.length).toBe(summary.schools * 3);
    for (const r of returns) expect(r).toMatch(/^\d{6,7}-2024-25-(autumn|spring|summer)$/);
    const outOfArea = readdirSync(path.join(a, 'out-of-area'));
    expect(summary.returns).toBe(returns.length + outOfArea.length);
    const manifest = JSON.parse(readFileSync(path.join(a, 'manifest.json'), 'utf8'));
    expect(manifest.summary.marks).toBe(summary.marks);
    expect(manifest.schools).toHaveLength(summary.schools);
    expect(manifest.options).toEqual({ laCode: 332, pupils: 2500, seed: 7, academicYear: '2024/25', years: 1 });
    expect(summary.academicYears).toEqual(['2024/25']);
  });

  it('writes returns in the FORMATS.md §2 shape with valid UPNs, dates and codes', async () => {
    const first = readdirSync(path.join(a, 'returns'))[0];
    expect(readFileSync(path.join(a, 'returns', first, 'pupils.csv'), 'utf8').split('\n')[0]).toBe(
      'urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,fsm6,sen_provision,sen_primary_need,eal,boarder,young_carer',
    );
    expect(readFileSync(path.join(a, 'returns', first, 'marks.csv'), 'utf8').split('\n')[0]).toBe('urn,upn,date,session,mark,minutes_late');

    await withDuck(async (duck) => {
      const glob = (f: string) => path.join(a, '*', '*', f);
      const pupils = await duck.all<{ upn: string; dob: string; nc_year: string; sex: string; enrol_status: string; fsm: string; sen_provision: string; admission_date: string; leaving_date: string | null; urn: string; folder: string }>(
        `SELECT *, split_part(filename, '/', -2) AS folder FROM read_csv($g, header = true, all_varchar = true, filename = true)`,
        { g: glob('pupils.csv') },
      );
      expect(pupils.length).toBeGreaterThan(0);
      for (const p of pupils) {
        expect(isValidUpn(p.upn), p.upn).toBe(true);
        expect(p.folder.startsWith(`${p.urn}-`)).toBe(true);
        expect(p.dob).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(p.admission_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (p.leaving_date) expect(p.leaving_date >= p.admission_date).toBe(true);
        expect(['M', 'F']).toContain(p.sex);
        expect(['C', 'M', 'S']).toContain(p.enrol_status);
        expect(['Y', 'N']).toContain(p.fsm);
        expect(['N', 'K', 'E']).toContain(p.sen_provision);
        expect(p.nc_year).toMatch(/^(R|[1-9]|1[0-4])$/);
        // DOB consistent with NC year: age on 31 August 2024 = NC year + 4 (reception = 4)
        const year = p.nc_year === 'R' ? 0 : Number(p.nc_year);
        const dob = p.dob;
        const age = 2024 - Number(dob.slice(0, 4)) - (dob.slice(5) > '08-31' ? 1 : 0);
        expect(age).toBe(year + 4);
      }
      expect(pupils.some((p) => p.enrol_status === 'C')).toBe(true);

      const bad = await duck.all<{ n: number }>(
        `SELECT CAST(count(*) AS INTEGER) AS n FROM read_csv($g, header = true, all_varchar = true) m
         WHERE TRY_CAST(date AS DATE) IS NULL OR session NOT IN ('AM', 'PM') OR NOT list_contains($codes, mark)
            OR (minutes_late IS NOT NULL AND mark NOT IN ('L', 'U'))
            OR (mark = '/' AND session <> 'AM') OR (mark = '\\' AND session <> 'PM')
            OR isodow(CAST(date AS DATE)) > 5`,
        { g: glob('marks.csv'), codes: listValue(MARKS) },
      );
      expect(bad[0].n).toBe(0);

      // every mark belongs to a pupil of the same return; one row per pupil per session
      const orphans = await duck.all<{ n: number; dupes: number }>(
        `WITH m AS (SELECT split_part(filename, '/', -2) AS f, upn, date, session FROM read_csv($m, header = true, all_varchar = true, filename = true)),
              p AS (SELECT DISTINCT split_part(filename, '/', -2) AS f, upn FROM read_csv($p, header = true, all_varchar = true, filename = true))
         SELECT CAST((SELECT count(*) FROM m ANTI JOIN p USING (f, upn)) AS INTEGER) AS n,
                CAST((SELECT count(*) FROM (SELECT f, upn, date, session FROM m GROUP BY ALL HAVING count(*) > 1)) AS INTEGER) AS dupes`,
        { m: glob('marks.csv'), p: glob('pupils.csv') },
      );
      expect(orphans[0]).toEqual({ n: 0, dupes: 0 });

      // suspensions match E marks; amendments point at the marks they produced
      const susp = await duck.all<{ rows: number; e_sessions: number; listed: number }>(
        `SELECT CAST(count(*) AS INTEGER) AS rows, CAST(sum(CAST(sessions AS INTEGER)) AS INTEGER) AS listed,
                CAST((SELECT count(*) FROM read_csv($m, header = true, all_varchar = true) WHERE mark = 'E') AS INTEGER) AS e_sessions
         FROM read_csv($s, header = true, all_varchar = true)
         WHERE category IN ('SUSP', 'PERM') AND TRY_CAST(start_date AS DATE) IS NOT NULL`,
        { m: glob('marks.csv'), s: glob('suspensions.csv') },
      );
      expect(susp[0].rows).toBeGreaterThan(0);
      expect(susp[0].listed).toBe(susp[0].e_sessions);
      const amend = await duck.all<{ rows: number; matched: number }>(
        `WITH am AS (SELECT urn, upn, date, session, original_mark, amended_mark, amended_on FROM read_csv($a, header = true, all_varchar = true)),
              m AS (SELECT urn, upn, date, session, mark FROM read_csv($m, header = true, all_varchar = true))
         SELECT CAST(count(*) AS INTEGER) AS rows,
                CAST(count(*) FILTER (WHERE m.mark = am.amended_mark AND am.original_mark = 'N' AND am.amended_on > am.date) AS INTEGER) AS matched
         FROM am LEFT JOIN m USING (urn, upn, date, session)`,
        { a: glob('amendments.csv'), m: glob('marks.csv') },
      );
      expect(amend[0].rows).toBeGreaterThan(0);
      expect(amend[0].matched).toBe(amend[0].rows);
    });
  });

  it('writes SSDA903, CIN census and caseloads linked by UPN to generated pupils', async () => {
    const sc = path.join(a, 'social-care');
    const header = readFileSync(path.join(sc, 'ssda903', 'header.csv'), 'utf8').trim().split('\n');
    expect(header[0]).toBe('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB');
    const episodes = readFileSync(path.join(sc, 'ssda903', 'episodes.csv'), 'utf8').trim().split('\n');
    expect(episodes[0]).toBe('CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN');
    for (const line of episodes.slice(1)) {
      const [, decom, , , , , , dec] = line.split(',');
      expect(decom).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      if (dec) expect(dec).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    }
    expect(readFileSync(path.join(sc, 'ssda903', 'sw_episodes.csv'), 'utf8').split('\n')[0]).toBe('CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON');
    const caseloads = readFileSync(path.join(sc, 'caseloads.csv'), 'utf8').trim().split('\n');
    expect(caseloads[0]).toBe('worker_id,worker_name,worker_email,team,la_child_id,upn,start_date,end_date');
    const workers = new Set(caseloads.slice(1).map((l) => l.split(',')[0]));
    expect(workers.size).toBeGreaterThan(10);
    expect(caseloads.slice(1).some((l) => l.split(',')[7] !== '')).toBe(true);

    const allUpns = new Set<string>();
    for (const dir of ['returns', 'out-of-area']) {
      for (const r of readdirSync(path.join(a, dir))) {
        for (const line of readFileSync(path.join(a, dir, r, 'pupils.csv'), 'utf8').trim().split('\n').slice(1)) allUpns.add(line.split(',')[1]);
      }
    }
    const cla = header.slice(1).map((l) => l.split(',')[4]);
    expect(cla.length).toBeGreaterThan(5);
    for (const upn of cla) expect(allUpns.has(upn), upn).toBe(true);

    const xml = new XMLParser({ isArray: (name) => name === 'Child' }).parse(readFileSync(path.join(sc, 'cin', 'cin-census.xml'), 'utf8'));
    const children = xml.Message.Children.Child as { ChildIdentifiers: { UPN: string; LAchildID: string | number }; CINdetails: Record<string, unknown> }[];
    expect(children.length).toBeGreaterThan(5);
    for (const c of children) expect(allUpns.has(c.ChildIdentifiers.UPN)).toBe(true);
    expect(children.some((c) => 'ChildProtectionPlans' in c.CINdetails)).toBe(true);
    expect(children.some((c) => 'CINPlanDates' in c.CINdetails)).toBe(true);

    // out-of-area returns hold only looked-after children, at schools outside the LA
    const manifest = JSON.parse(readFileSync(path.join(a, 'manifest.json'), 'utf8'));
    expect(manifest.outOfAreaSchools.length).toBeGreaterThan(0);
    for (const s of manifest.outOfAreaSchools) expect(s.laCode).not.toBe(332);
    const claSet = new Set(cla);
    for (const r of readdirSync(path.join(a, 'out-of-area'))) {
      for (const line of readFileSync(path.join(a, 'out-of-area', r, 'pupils.csv'), 'utf8').trim().split('\n').slice(1)) {
        expect(claSet.has(line.split(',')[1])).toBe(true);
      }
    }
  });
});
