import { mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeUpn } from '../demo/upn.js';

/** A temp folder the embedded Postgres user can reach too (mode 0755). */
export function tempDir(prefix = 'rollbook-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export interface FixturePupil {
  upn: string;
  dob: string;
  ncYear: string;
  admission?: string;
  leaving?: string;
  boarder?: boolean;
  fsm?: boolean;
  sen?: 'N' | 'K' | 'E';
}

export const FIXTURE_URN = 103812;
export const FIXTURE_LA = '332';

/** Valid UPNs for fixtures (real check letters, not real children). */
export const fixtureUpn = (serial: number) => makeUpn(332, 2001, 19, serial);

export function schoolListCsv(rows: { urn: number; la: string; name: string; phase?: string }[]): string {
  const header = 'time_period,urn,laestab,school_name,old_la_code,new_la_code,la_name,region_name,phase_type_grouping,type_of_establishment,headcount,fsm_eligible_pct,eal_pct';
  const lines = rows.map((r, i) =>
    `202223,${r.urn},${r.la}${String(2001 + i).padStart(4, '0')},"${r.name}",${r.la},E0800002${i},"Dudley","West Midlands","${r.phase ?? 'State-funded primary'}","Community school",300,21.5,x`,
  );
  return [header, ...lines].join('\n') + '\n';
}

export function pupilsCsv(urn: number, pupils: FixturePupil[]): string {
  const header = 'urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,sen_provision,eal,boarder';
  const lines = pupils.map(
    (p, i) =>
      `${urn},${p.upn},Test${i},Pupil,${p.dob},${i % 2 ? 'F' : 'M'},WBRI,${p.ncYear},${p.admission ?? '2020-09-01'},${p.leaving ?? ''},C,${p.fsm ? 'Y' : 'N'},${p.sen ?? 'N'},N,${p.boarder ? 'Y' : 'N'}`,
  );
  return [header, ...lines].join('\n') + '\n';
}

/** School days (Mon–Fri) from `from` for `days` days. */
export function schoolDays(from: string, days: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < days) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** marks.csv from per-pupil mark sequences, AM then PM for each day. */
export function marksCsv(urn: number, days: string[], marks: Record<string, string[]>): string {
  const lines = ['urn,upn,date,session,mark,minutes_late'];
  for (const [upn, seq] of Object.entries(marks)) {
    seq.forEach((mark, i) => {
      const day = days[Math.floor(i / 2)];
      lines.push(`${urn},${upn},${day},${i % 2 === 0 ? 'AM' : 'PM'},${mark},${mark === 'L' ? 7 : ''}`);
    });
  }
  return lines.join('\n') + '\n';
}

export function writeReturn(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
