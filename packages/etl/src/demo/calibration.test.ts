import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sqlFile } from '../sql.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuck } from '../duckdb.js';
import { generateDemo } from './index.js';
import { PUBLIC_FILES } from './public-data.js';

// ADR 0001: the public data sits beside the repository, in ../shared/data.
const PUBLIC = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));

interface SchoolRates { urn: number; enrolments: number; possible: number; absence: number; persistent: number }
interface Published { school_type: string; overall_absence_perc: number; pa_perc: number }

describe('calibration of a scaled-down Dudley against its published 2024/25 figures', () => {
  let dir: string;
  let measured: Map<string, { overall: number; pa: number; enrolments: number }>;
  let published: Map<string, Published>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-cal-'));
    await generateDemo({ outDir: dir, publicDataDir: PUBLIC, pupils: 13_000, seed: 3 });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { schools: { urn: number; phase: string }[] };
    const phaseOf = new Map(manifest.schools.map((s) => [s.urn, s.phase === 'primary' ? 'Primary' : s.phase === 'special' ? 'Special' : 'Secondary']));
    await withDuck(async (duck) => {
      const rows = await duck.all<SchoolRates>(sqlFile('demo/dfe-scope-rates.sql'), {
        pupils: path.join(dir, 'returns', '*', 'pupils.csv'),
        marks: path.join(dir, 'returns', '*', 'marks.csv'),
        age_date: '2024-08-31',
        ht2_start: '2025-05-26', // spring bank holiday: summer second half term (census boundary)
      });
      const acc = new Map<string, { e: number; p: number; a: number; pa: number }>();
      for (const r of rows) {
        for (const key of [phaseOf.get(r.urn)!, 'Total']) {
          const x = acc.get(key) ?? { e: 0, p: 0, a: 0, pa: 0 };
          x.e += r.enrolments;
          x.p += r.possible;
          x.a += r.absence;
          x.pa += r.persistent;
          acc.set(key, x);
        }
      }
      measured = new Map([...acc].map(([k, x]) => [k, { overall: (100 * x.a) / x.p, pa: (100 * x.pa) / x.e, enrolments: x.e }]));
      const pub = await duck.all<Published>(sqlFile('demo/published-la-rates.sql'), { path: path.join(PUBLIC, PUBLIC_FILES.attendance), la: 332 });
      published = new Map(pub.map((p) => [p.school_type, p]));
    });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the LA overall absence rate within 1 percentage point', () => {
    const total = measured.get('Total')!;
    expect(total.enrolments).toBeGreaterThan(10_000);
    expect(Math.abs(total.overall - published.get('Total')!.overall_absence_perc)).toBeLessThan(1);
  });

  it('matches the LA persistent absence rate within 1 percentage point', () => {
    expect(Math.abs(measured.get('Total')!.pa - published.get('Total')!.pa_perc)).toBeLessThan(1);
  });

  it('keeps the phase figures close too (special schools are small, so looser)', () => {
    for (const phase of ['Primary', 'Secondary']) {
      expect(Math.abs(measured.get(phase)!.overall - published.get(phase)!.overall_absence_perc), phase).toBeLessThan(0.5);
      expect(Math.abs(measured.get(phase)!.pa - published.get(phase)!.pa_perc), phase).toBeLessThan(1.5);
    }
    expect(Math.abs(measured.get('Special')!.overall - published.get('Special')!.overall_absence_perc)).toBeLessThan(2);
  });
});
