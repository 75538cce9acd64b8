import path from 'node:path';
import { type EnrolmentTermRow, writeEnrolmentTerms, writeParquet, writeSchools } from './fixtures.js';

/**
 * A small warehouse for access tests: two schools of LA 332 and one of LA 999, eight pupils,
 * caseloads and child statuses. Which role may see which child is NOT derived from this file:
 * the tests state it in a table.
 */
export const ALPHA = 100001; // LA 332
export const BETA = 100002; // LA 332
export const GAMMA = 200001; // LA 999: where an LA 332 looked-after child is placed

export const PUPILS = {
  A1: { upn: 'A332000000001', urn: ALPHA, la: '332', forename: 'Amy', surname: 'Adams' },
  A2: { upn: 'A332000000002', urn: ALPHA, la: '332', forename: 'Ben', surname: 'Brown' },
  A3: { upn: 'A332000000003', urn: ALPHA, la: '332', forename: 'Cara', surname: 'Clark' },
  B1: { upn: 'B332000000001', urn: BETA, la: '332', forename: 'Dan', surname: 'Davis' },
  B2: { upn: 'B332000000002', urn: BETA, la: '332', forename: 'Eve', surname: 'Evans' },
  B3: { upn: 'B332000000003', urn: BETA, la: '332', forename: 'Finn', surname: 'Fox' },
  G1: { upn: 'G999000000001', urn: GAMMA, la: '999', forename: 'Gus', surname: 'Green' },
  G2: { upn: 'G999000000002', urn: GAMMA, la: '999', forename: 'Hana', surname: 'Hill' },
} as const;
export type PupilKey = keyof typeof PUPILS;

/** A valid-looking UPN that no fixture pupil has. */
export const UNKNOWN_UPN = 'Z999999999999';

export async function writeAccessFixture(dataDir: string): Promise<void> {
  const rows: EnrolmentTermRow[] = [];
  for (const [key, p] of Object.entries(PUPILS)) {
    // A1 is the only persistent absentee of LA 332 (12/60 = 20 %); everyone else 2/60.
    const unauthorised = key === 'A1' ? 12 : 2;
    for (const scope of ['operational', 'dfe'] as const) {
      rows.push({
        la_code: p.la,
        academic_year: '2024/25',
        term: 'autumn',
        urn: p.urn,
        upn: p.upn,
        scope,
        possible_sessions: 60,
        approved_educational_activity: 0,
        authorised_absence: 0,
        unauthorised_absence: unauthorised,
      });
    }
  }
  await writeEnrolmentTerms(dataDir, rows);
  await writeSchools(dataDir, [
    { urn: ALPHA, la_code: '332', la_name: 'Dudley', name: 'Alpha Primary School', phase: 'Primary' },
    { urn: BETA, la_code: '332', la_name: 'Dudley', name: 'Beta Academy', phase: 'Secondary' },
    { urn: GAMMA, la_code: '999', la_name: 'Elsewhere', name: 'Gamma High School', phase: 'Secondary' },
  ]);
  for (const urn of [ALPHA, BETA, GAMMA]) {
    const pupils = Object.values(PUPILS).filter((p) => p.urn === urn);
    await writeParquet(
      path.join(dataDir, 'lake', 'pupils', `la=${pupils[0]!.la}`, 'academic_year=2024-25', 'term=autumn', `urn=${urn}`, 'part-0.parquet'),
      { urn: 'INTEGER', upn: 'VARCHAR', forename: 'VARCHAR', surname: 'VARCHAR', dob: 'DATE', nc_year: 'VARCHAR' },
      pupils.map((p) => ({ urn: p.urn, upn: p.upn, forename: p.forename, surname: p.surname, dob: '2015-03-01', nc_year: '5' })),
    );
  }
  const caseload = (worker: string, team: string, key: PupilKey, start: string, end: string | null) => ({
    worker_id: worker,
    worker_name: `Worker ${worker}`,
    worker_email: `${worker.toLowerCase()}@la.example`,
    team,
    la_child_id: `C-${key}`,
    upn: PUPILS[key].upn,
    start_date: start,
    end_date: end,
  });
  await writeParquet(
    path.join(dataDir, 'lake', 'social-care', 'caseloads', 'la=332', 'part-0.parquet'),
    {
      worker_id: 'VARCHAR', worker_name: 'VARCHAR', worker_email: 'VARCHAR', team: 'VARCHAR',
      la_child_id: 'VARCHAR', upn: 'VARCHAR', start_date: 'DATE', end_date: 'DATE',
    },
    [
      caseload('SW1', 'Team X', 'A2', '2020-01-01', null), // open
      caseload('SW1', 'Team X', 'B1', '2020-01-01', '2021-01-01'), // closed: SW1 no longer holds B1
      caseload('SW1', 'Team X', 'B3', '2099-01-01', null), // not started yet
      caseload('SW2', 'Team X', 'B2', '2020-01-01', null), // open, same team as SW1
      caseload('SW3', 'Team Y', 'A3', '2020-01-01', null), // open, another team
    ],
  );
  const status = (key: PupilKey, kind: string, start: string, end: string | null) => ({
    la_code: '332',
    la_child_id: `C-${key}`,
    upn: PUPILS[key].upn,
    status: kind,
    start_date: start,
    end_date: end,
    source: kind === 'looked_after' ? 'ssda903' : 'cin',
  });
  await writeParquet(
    path.join(dataDir, 'marts', 'fct_child_status', 'la=332', 'part-0.parquet'),
    { la_code: 'VARCHAR', la_child_id: 'VARCHAR', upn: 'VARCHAR', status: 'VARCHAR', start_date: 'DATE', end_date: 'DATE', source: 'VARCHAR' },
    [
      status('B3', 'looked_after', '2020-01-01', null), // in care, at an LA school
      status('G1', 'looked_after', '2020-01-01', null), // in care, placed out of area (LA 999 school)
      status('A1', 'child_in_need', '2019-01-01', '2020-06-01'), // closed long ago
    ],
  );
}
