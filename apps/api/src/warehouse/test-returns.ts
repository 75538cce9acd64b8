// Termly returns for the warehouse's tests: small, valid, loaded through the real ETL.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { upnCheckLetter } from '@rollbook/etl';

/** The one school the test returns are for (in the school list {@link writeSchoolList} writes). */
export const TEST_URN = 103812;

/** A valid UPN (check letter + LA + establishment + year + serial), not a real child's. */
export function testUpn(serial: number): string {
  const body = `332200119${String(serial).padStart(3, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
}

function schoolDays(from: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < n) {
    if (d.getUTCDay() % 6 !== 0) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** The DfE school-level file with the one test school, as `schools.csv` in `dir`. */
export function writeSchoolList(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'schools.csv');
  writeFileSync(
    file,
    'time_period,urn,laestab,school_name,old_la_code,new_la_code,la_name,region_name,phase_type_grouping,type_of_establishment,headcount,fsm_eligible_pct,eal_pct\n' +
      `202223,${TEST_URN},3322001,"Fixture Primary",332,E08000027,"Dudley","West Midlands","State-funded primary","Community school",300,21.5,x\n`,
  );
  return file;
}

/** A termly return of `pupils` pupils over `days` school days from `from`; every 7th session absent. */
export function writeTestReturn(dir: string, from: string, pupils: number, days: number): string {
  mkdirSync(dir, { recursive: true });
  const header = 'urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,sen_provision,eal,boarder';
  const rows = Array.from({ length: pupils }, (_, i) => `${TEST_URN},${testUpn(i + 1)},P${i},Q,2014-05-20,${i % 2 ? 'F' : 'M'},WBRI,5,2019-09-01,,C,N,N,N,N`);
  writeFileSync(path.join(dir, 'pupils.csv'), [header, ...rows].join('\n') + '\n');
  const marks = ['urn,upn,date,session,mark,minutes_late'];
  const dates = schoolDays(from, days);
  let k = 0;
  for (let i = 0; i < pupils; i++) {
    for (const date of dates) {
      for (const session of ['AM', 'PM']) marks.push(`${TEST_URN},${testUpn(i + 1)},${date},${session},${k++ % 7 === 0 ? 'O' : session === 'AM' ? '/' : '\\'},`);
    }
  }
  writeFileSync(path.join(dir, 'marks.csv'), marks.join('\n') + '\n');
  return dir;
}
