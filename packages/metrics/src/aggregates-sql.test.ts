/** Population figures in SQL against `aggregate`, `rates` and `enrolmentRates`, on random enrolments, grouped by year group and cohort. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregate, enrolmentRates, rates } from './measures.js';
import type { SessionCounts } from './measures.js';
import { POPULATION_COLUMNS, populationSummarySql } from './aggregates-sql.js';
import { MEASURE_COLUMNS } from './sql.js';
import { inMemoryDuckDb } from './testing/duckdb.js';

const db = inMemoryDuckDb();

type Row = SessionCounts & { nc_year: string; fsm: boolean };
const enrolmentArb = fc
  .record({ present: fc.nat(200), aea: fc.nat(5), auth: fc.nat(60), unauth: fc.nat(60), late: fc.nat(10), nc_year: fc.constantFrom('R', '6', '7', '11'), fsm: fc.boolean() })
  .map((r): Row => ({
    possibleSessions: r.present + r.aea + r.auth + r.unauth, presentSessions: r.present, approvedEducationalActivity: r.aea,
    authorisedAbsence: r.auth, unauthorisedAbsence: r.unauth, overallAbsence: r.auth + r.unauth, lateSessions: Math.min(r.late, r.present + r.unauth),
    nc_year: r.nc_year, fsm: r.fsm,
  }));
const KEYS: (keyof SessionCounts)[] = ['possibleSessions', 'presentSessions', 'approvedEducationalActivity', 'authorisedAbsence', 'unauthorisedAbsence', 'overallAbsence', 'lateSessions'];

describe('populationSummarySql (sum then divide, §8 rules 2–3)', () => {
  it('lists its columns', async () => {
    const reader = await db.connection.runAndReadAll(`DESCRIBE ${populationSummarySql({ source: `(SELECT 1 AS ${MEASURE_COLUMNS.join(', 1 AS ')})`, keys: [] })}`);
    expect(reader.getRowObjects().map((r) => r['column_name'])).toEqual(POPULATION_COLUMNS);
  });

  it('agrees with the TypeScript reference by year group × FSM, with zero-possible enrolments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(enrolmentArb, { maxLength: 200 }), async (rows) => {
        const json = JSON.stringify(rows.map((r) => ({ nc_year: r.nc_year, fsm: r.fsm, ...Object.fromEntries(KEYS.map((k, i) => [MEASURE_COLUMNS[i], r[k]])) })));
        const type = `[{"nc_year":"VARCHAR","fsm":"BOOLEAN",${MEASURE_COLUMNS.map((c) => `"${c}":"INTEGER"`).join(',')}}]`;
        const reader = await db.connection.runAndReadAll(
          `${populationSummarySql({ source: `(SELECT unnest(from_json($rows, '${type}'), recursive := true))`, keys: ['nc_year', 'fsm'] })} ORDER BY nc_year, fsm`,
          { rows: json },
        );
        const groups = new Map<string, Row[]>();
        for (const r of rows) groups.set(`${r.nc_year}|${r.fsm}`, [...(groups.get(`${r.nc_year}|${r.fsm}`) ?? []), r]);
        const expected = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, rs]) => {
          const sum = aggregate(rs);
          const e = enrolmentRates(rs);
          return {
            nc_year: rs[0]!.nc_year, fsm: rs[0]!.fsm, enrolments: e.enrolments,
            ...Object.fromEntries(KEYS.map((k, i) => [MEASURE_COLUMNS[i], sum[k]])),
            attendance_perc: rates(sum).attendancePerc, overall_absence_perc: rates(sum).overallAbsencePerc,
            authorised_absence_perc: rates(sum).authorisedAbsencePerc, unauthorised_absence_perc: rates(sum).unauthorisedAbsencePerc,
            persistent_absentees: e.persistentAbsentees, severe_absentees: e.severeAbsentees, pa_perc: e.persistentAbsencePerc, sa_perc: e.severeAbsencePerc,
          };
        });
        expect(reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
