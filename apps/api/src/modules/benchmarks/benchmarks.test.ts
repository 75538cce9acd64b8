/**
 * Benchmarks through the API (issue 6): a small demo LA (Dudley, 332) loaded by the real CLI,
 * beside the real published 2024/25 statistics and the DfE statistical-neighbour list. The LA's
 * comparators are worked out again here from the raw files with DuckDB's CSV reader (not the
 * loader), and the school page is checked against the attendance module's own figures.
 */
import 'reflect-metadata';
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { Role } from '../access/models/role.enum.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, type TestSession } from '../../test/fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const DFE = path.resolve(ROOT, '../shared/data/dfe');
const YTD = path.join(DFE, 'attendance-2024-25/EES_ytd_data_202425.csv');
const SN = path.join(DFE, 'statistical-neighbours/dfe_sn_may_2025_long.csv');

const LA_BENCHMARKS = `query { laBenchmarks { laCode laName academicYear publishedAvailable
  published { phase measure value snAverage snRank snRankOutOf regionValue englandValue gapToEnglandPp gapToEnglandDays neighbours { laCode value } }
  fromReturns { phase measure value snAverage snRank englandValue gapToEnglandPp } } }`;
const HELP_FIRST = `query { whereToHelpFirst { rank urn name score persistentAbsenceRate severeAbsenceRate persistentAbsentees severeAbsentees reasons } }`;
const OVERVIEW = `query { laOverview { overallAbsenceRate schools { urn name enrolments overallAbsenceRate persistentAbsenceRate } } }`;
const TRENDS = `query { laTrends { academicYear previousYear termly { period thisYear lastYear } weekly { period weekStart thisYear lastYear } } }`;
const COHORTS = `query { laCohorts { dimension cohort suppressed enrolments overallAbsenceRate persistentAbsenceRate gapPp } }`;
const SCHOOL = `query ($urn: Int!) { schoolBenchmarks(urn: $urn) { urn name academicYear
  absenceBands { band enrolments }
  similarSchools { urn phase within smallGroup overallAbsence { percentile quartile rank groupSize } comparators { urn rank distance overallAbsenceRate } }
  cohorts { dimension cohort enrolments overallAbsenceRate suppressed }
  reasons { code sessions rate }
  weekdaySession { weekday session absenceRate }
  trends { termly { period thisYear } weekly { period thisYear } } } }`;
const SCHOOL_SUMMARY = `query ($urn: Int!) { school(urn: $urn) { urn enrolments overallAbsenceRate } }`;

interface Figure {
  phase: string;
  measure: string;
  value: number | null;
  snAverage: number | null;
  snRank: number | null;
  snRankOutOf: number | null;
  regionValue: number | null;
  englandValue: number | null;
  gapToEnglandPp: number | null;
  gapToEnglandDays: number | null;
  neighbours: { laCode: string; value: number | null }[];
}
interface School {
  urn: number;
  name: string;
  enrolments: number | null;
  overallAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
}

function rollbook(dataDir: string, ...args: string[]): void {
  execFileSync(process.execPath, [path.join(ROOT, 'packages/etl/bin/rollbook.mjs'), ...args], {
    env: { ...process.env, ROLLBOOK_DATA_DIR: dataDir, ROLLBOOK_PUBLIC_DATA_DIR: path.resolve(ROOT, '../shared/data'), TZ: 'UTC' },
    stdio: 'pipe',
  });
}

/** Dudley's published figures and its neighbours', read straight from the raw CSV files. */
async function rawComparators(measure: string, phase: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const read = async (sql: string, params: Record<string, string>) =>
      (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
    const value = (rows: Record<string, unknown>[]) => {
      const v = rows[0]?.v;
      return v === null || v === undefined || !/^-?[\d.]+$/.test(String(v)) ? null : Number(v);
    };
    const col = `"${measure.replaceAll('"', '')}"`;
    const at = (level: string, where: string, params: Record<string, string>) =>
      read(`SELECT CAST(${col} AS VARCHAR) AS v FROM read_csv($f, all_varchar = true) WHERE time_identifier = 'Academic year' AND geographic_level = '${level}' AND school_type = $phase AND ${where}`, { f: YTD, phase, ...params }).then(value);
    const neighbours = (await read(`SELECT CAST(sn_la_number AS VARCHAR) AS code FROM read_csv($f, all_varchar = true) WHERE la_number = '332' ORDER BY CAST(rank AS INTEGER)`, { f: SN })).map((r) => String(r.code));
    const own = await at('Local authority', "old_la_code = '332'", {});
    const nValues: (number | null)[] = [];
    for (const code of neighbours) nValues.push(await at('Local authority', 'old_la_code = $code', { code }));
    const england = await at('National', 'true', {});
    const region = await at('Regional', "region_name = 'West Midlands'", {});
    return { own, neighbours, nValues, england, region };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('benchmarks through the API', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;
  let analyst: TestSession;
  let head: TestSession;
  let schools: School[];
  const ask = async <T>(session: TestSession, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await graphql<T>(api.baseUrl, query, variables, session);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as T;
  };

  beforeAll(async () => {
    dataDir = await makeDataDir();
    rollbook(dataDir, 'demo', '--pupils', '900', '--seed', '6');
    rollbook(dataDir, 'load', path.join(dataDir, 'demo'));
    rollbook(dataDir, 'load', YTD, SN);
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@la.example', role: Role.LA_OFFICER });
    analyst = await addUserAndSignIn(api, { email: 'analyst@la.example', role: Role.ANALYST });
    schools = (await ask<{ laOverview: { schools: School[] } }>(officer, OVERVIEW)).laOverview.schools;
    head = await addUserAndSignIn(api, { email: 'head@school.example', role: Role.SCHOOL_USER, urn: schools[0]!.urn });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('puts the LA beside its ten neighbours, region and England, as the raw DfE files give them', async () => {
    const b = (await ask<{ laBenchmarks: { laCode: string; academicYear: string; publishedAvailable: boolean; published: Figure[]; fromReturns: Figure[] } }>(officer, LA_BENCHMARKS)).laBenchmarks;
    expect(b.laCode).toBe('332');
    expect(b.academicYear).toBe('2024/25');
    expect(b.publishedAvailable).toBe(true);
    for (const [measure, phase] of [['overall_absence_perc', 'Primary'], ['pa_perc', 'Secondary'], ['unauthorised_absence_perc', 'Special']] as const) {
      const row = b.published.find((r) => r.measure === measure && r.phase === phase)!;
      const raw = await rawComparators(measure, phase);
      expect(row.value).toBeCloseTo(raw.own!, 6);
      expect(row.neighbours.map((n) => n.laCode)).toEqual(raw.neighbours);
      const present = raw.nValues.filter((v): v is number => v !== null);
      expect(row.snAverage).toBeCloseTo(present.reduce((s, v) => s + v, 0) / present.length, 6);
      // 1 = lowest absence; ties share the better rank.
      expect(row.snRank).toBe(1 + present.filter((v) => v < raw.own!).length);
      expect(row.snRankOutOf).toBe(present.length + 1);
      expect(row.englandValue).toBeCloseTo(raw.england!, 6);
      expect(row.regionValue).toBeCloseTo(raw.region!, 6);
      expect(row.gapToEnglandPp).toBeCloseTo(raw.own! - raw.england!, 6);
      expect(row.gapToEnglandDays! / row.gapToEnglandPp!).toBeGreaterThan(1.5); // ≈ 190 days ÷ 100
    }
    // The LA's own returns, ranked against the same neighbours.
    const overall = b.fromReturns.find((r) => r.measure === 'overall_absence_perc' && r.phase === 'Total');
    const overview = (await ask<{ laOverview: { overallAbsenceRate: number } }>(officer, OVERVIEW)).laOverview;
    expect(overall?.value).toBeCloseTo(overview.overallAbsenceRate, 6);
  });

  it('refuses another LA', async () => {
    const body = await graphql(api.baseUrl, `query { laBenchmarks(laCode: "333") { laCode } }`, {}, officer);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('ranks every school for support with reasons, and withholds small numbers from analysts', async () => {
    const rows = (await ask<{ whereToHelpFirst: { rank: number; urn: number; score: number; persistentAbsentees: number | null; reasons: string[] }[] }>(officer, HELP_FIRST)).whereToHelpFirst;
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.urn))).toEqual(new Set(schools.map((s) => s.urn)));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.score).toBeLessThanOrEqual(rows[i - 1]!.score);
    expect(rows[0]!.reasons.length).toBeGreaterThan(0);
    // The same per-school figures as the LA overview.
    const full = (await ask<{ whereToHelpFirst: { urn: number; persistentAbsenceRate: number | null }[] }>(officer, HELP_FIRST)).whereToHelpFirst;
    for (const r of full) expect(r.persistentAbsenceRate, String(r.urn)).toBeCloseTo(schools.find((s) => s.urn === r.urn)!.persistentAbsenceRate!, 9);
    const seen = (await ask<{ whereToHelpFirst: { persistentAbsentees: number | null; persistentAbsenceRate: number | null }[] }>(analyst, HELP_FIRST)).whereToHelpFirst;
    for (const r of seen) {
      if (r.persistentAbsentees !== null) expect(r.persistentAbsentees === 0 || r.persistentAbsentees >= 5).toBe(true);
      else expect(r.persistentAbsenceRate).toBeNull();
    }
  });

  it('gives cohort gaps that add up, with small cohorts withheld from analysts', async () => {
    const rows = (await ask<{ laCohorts: { dimension: string; cohort: string; enrolments: number | null; overallAbsenceRate: number | null; gapPp: number | null }[] }>(officer, COHORTS)).laCohorts;
    const all = rows.find((r) => r.dimension === 'all')!;
    for (const dimension of ['fsm', 'sen', 'sex', 'year_group']) {
      expect(rows.filter((r) => r.dimension === dimension).reduce((s, r) => s + r.enrolments!, 0), dimension).toBe(all.enrolments);
    }
    const fsm = rows.find((r) => r.cohort === 'FSM')!;
    expect(fsm.gapPp).toBeCloseTo(fsm.overallAbsenceRate! - all.overallAbsenceRate!, 9);
    const seen = (await ask<{ laCohorts: { enrolments: number | null; overallAbsenceRate: number | null }[] }>(analyst, COHORTS)).laCohorts;
    expect(seen.length).toBe(rows.length);
    for (const r of seen) {
      if (r.enrolments === null) expect(r.overallAbsenceRate).toBeNull();
      else expect(r.enrolments).toBeGreaterThanOrEqual(5);
    }
    expect(seen.some((r) => r.enrolments === null)).toBe(rows.some((r) => r.enrolments !== null && r.enrolments < 5));
  });

  it('gives termly and weekly series for the year', async () => {
    const t = (await ask<{ laTrends: { academicYear: string; previousYear: string; termly: { period: string; thisYear: number | null; lastYear: number | null }[]; weekly: { weekStart: string; thisYear: number | null }[] } }>(officer, TRENDS)).laTrends;
    expect(t.previousYear).toBe('2023/24');
    expect(t.termly.map((p) => p.period)).toEqual(['autumn', 'spring', 'summer']);
    expect(t.termly.every((p) => p.lastYear === null && p.thisYear !== null)).toBe(true);
    expect(t.weekly.length).toBeGreaterThan(30);
    expect(t.weekly[0]!.weekStart.startsWith('2024-09')).toBe(true);
  });

  it('gives a school page matching the school figures', async () => {
    const urn = [...schools].sort((a, b) => (b.enrolments ?? 0) - (a.enrolments ?? 0))[0]!.urn;
    const summary = (await ask<{ school: { enrolments: number; overallAbsenceRate: number } }>(officer, SCHOOL_SUMMARY, { urn })).school;
    const page = (await ask<{ schoolBenchmarks: {
      absenceBands: { enrolments: number }[];
      similarSchools: { phase: string; comparators: { urn: number; rank: number; distance: number; overallAbsenceRate: number | null }[]; overallAbsence: { groupSize: number; percentile: number } | null };
      cohorts: { dimension: string; enrolments: number; overallAbsenceRate: number }[];
      reasons: { rate: number }[];
      weekdaySession: { weekday: number; session: string; absenceRate: number }[];
    } }>(officer, SCHOOL, { urn })).schoolBenchmarks;
    expect(page.absenceBands.reduce((s, b) => s + b.enrolments, 0)).toBe(summary.enrolments);
    const all = page.cohorts.find((c) => c.dimension === 'all')!;
    expect(all.enrolments).toBe(summary.enrolments);
    expect(all.overallAbsenceRate).toBeCloseTo(summary.overallAbsenceRate, 9);
    expect(page.reasons.reduce((s, r) => s + r.rate, 0)).toBeCloseTo(summary.overallAbsenceRate, 6);
    expect(page.weekdaySession.map((c) => `${c.weekday}${c.session}`)).toEqual(['1AM', '1PM', '2AM', '2PM', '3AM', '3PM', '4AM', '4PM', '5AM', '5PM']);
    const similar = page.similarSchools;
    expect(similar.comparators.length).toBeGreaterThan(0);
    expect(similar.comparators.length).toBeLessThanOrEqual(30);
    expect(similar.comparators.map((c) => c.rank)).toEqual(similar.comparators.map((_, i) => i + 1));
    expect(similar.comparators.some((c) => c.urn === urn)).toBe(false);
    for (let i = 1; i < similar.comparators.length; i++) expect(similar.comparators[i]!.distance).toBeGreaterThanOrEqual(similar.comparators[i - 1]!.distance);
    const rates = new Map(schools.map((s) => [s.urn, s.overallAbsenceRate]));
    for (const c of similar.comparators) expect(c.overallAbsenceRate ?? null, String(c.urn)).toBe(rates.get(c.urn) ?? null);
    // Its position: the share of the group with lower absence, ties counting half.
    const group = similar.comparators.map((c) => c.overallAbsenceRate).filter((v): v is number => v !== null);
    const own = summary.overallAbsenceRate;
    expect(similar.overallAbsence!.groupSize).toBe(group.length);
    expect(similar.overallAbsence!.percentile).toBeCloseTo((100 * (group.filter((v) => v < own).length + group.filter((v) => v === own).length / 2)) / group.length, 9);
  });

  it("keeps school users to their own school's page", async () => {
    const own = await graphql<{ schoolBenchmarks: { urn: number } }>(api.baseUrl, SCHOOL, { urn: schools[0]!.urn }, head);
    expect(own.errors).toBeUndefined();
    expect(own.data?.schoolBenchmarks.urn).toBe(schools[0]!.urn);
    const other = await graphql(api.baseUrl, SCHOOL, { urn: schools[1]!.urn }, head);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Analysts see every school of the LA, small numbers withheld.
    for (const school of schools.slice(0, 5)) {
      const seen = await graphql<{ schoolBenchmarks: { absenceBands: { enrolments: number | null }[] } }>(api.baseUrl, SCHOOL, { urn: school.urn }, analyst);
      expect(seen.errors, String(school.urn)).toBeUndefined();
      for (const b of seen.data!.schoolBenchmarks.absenceBands) expect(b.enrolments === null || b.enrolments === 0 || b.enrolments >= 5).toBe(true);
    }
  });
});
