import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CODES, OFF_ROLL } from './absence.js';
import type { SchoolCalendar, Term } from './calendar.js';
import { yearSlug } from './calendar.js';
import type { Enrolment, School } from './population.js';

export const PUPILS_HEADER =
  'urn,upn,forename,surname,dob,sex,ethnicity,nc_year,admission_date,leaving_date,enrol_status,fsm,fsm6,sen_provision,sen_primary_need,eal,boarder,young_carer\n';
export const MARKS_HEADER = 'urn,upn,date,session,mark,minutes_late\n';
export const AMENDMENTS_HEADER = 'urn,upn,date,session,original_mark,amended_mark,reason,amended_on,amended_by\n';
export const SUSPENSIONS_HEADER = 'urn,upn,category,start_date,sessions,reason\n';

const CHUNK = 1 << 22; // flush marks text to disk every ~4 MB

/** Buffered text file writer: collects strings and writes them in large blocks. */
class TextFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(file: string, header: string) {
    this.fd = openSync(file, 'w');
    this.add(header);
  }

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

function yn(b: boolean): string {
  return b ? 'Y' : 'N';
}

/** RFC 4180 quoting for free text. */
function q(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function ncYearText(y: number): string {
  return y === 0 ? 'R' : String(y);
}

export interface ReturnWritten {
  folder: string;
  marks: number;
}

/**
 * Writes one termly return (FORMATS.md §2) for one school: `pupils.csv`, `marks.csv`, and
 * `amendments.csv` / `suspensions.csv` when there are any. Returns null when no one was on roll.
 */
export function writeReturn(
  baseDir: string,
  school: School,
  enrolments: Enrolment[],
  cal: SchoolCalendar,
  term: Term,
  /** The register token of each code index, as written in the calendar's year (`tokensFor`). */
  tokens: readonly string[] = CODES,
): ReturnWritten | null {
  const [from, to] = cal.termRange[term];
  const inTerm = enrolments.filter((e) => e.first < to && e.last >= from);
  if (inTerm.length === 0) return null;
  const folder = path.join(baseDir, `${school.urn}-${yearSlug(cal.academicYear)}-${term}`);
  mkdirSync(folder, { recursive: true });

  const pupils = new TextFile(path.join(folder, 'pupils.csv'), PUPILS_HEADER);
  try {
    for (const e of inTerm) {
      const p = e.pupil;
      pupils.add(
        `${school.urn},${p.upn},${p.forename},${p.surname},${p.dob},${p.sex},${p.ethnicity},${ncYearText(p.ncYear)},` +
          `${e.admissionDate},${e.leavingDate},${e.status},${yn(p.fsm)},${yn(p.fsm6)},${p.sen},${p.senNeed},${yn(p.eal)},N,${yn(p.youngCarer)}\n`,
      );
    }
  } finally {
    pupils.close();
  }

  // Per-session suffixes and per-code tokens are built once; a row is then five concatenations.
  const sessionText: string[] = [];
  for (let d = from; d < to; d++) sessionText.push(`,${cal.days[d].date},AM,`, `,${cal.days[d].date},PM,`);
  let count = 0;
  const marks = new TextFile(path.join(folder, 'marks.csv'), MARKS_HEADER);
  try {
    for (const e of inTerm) {
      const prefix = `${school.urn},${e.pupil.upn}`;
      const m = e.marks;
      const minutes = e.minutes;
      let text = '';
      for (let s = 2 * from; s < 2 * to; s++) {
        const code = m[s];
        if (code === OFF_ROLL) continue;
        const token = code === 0 ? ((s & 1) === 0 ? '/' : '\\') : tokens[code];
        const late = minutes !== null && minutes[s] > 0 ? String(minutes[s]) : '';
        text += prefix + sessionText[s - 2 * from] + token + ',' + late + '\n';
        count++;
      }
      marks.add(text);
    }
  } finally {
    marks.close();
  }

  const amended = inTerm.filter((e) => e.amendments.some((a) => a.session >= 2 * from && a.session < 2 * to));
  if (amended.length > 0) {
    const f = new TextFile(path.join(folder, 'amendments.csv'), AMENDMENTS_HEADER);
    try {
      for (const e of amended) {
        for (const a of e.amendments) {
          if (a.session < 2 * from || a.session >= 2 * to) continue;
          const day = cal.days[a.session >> 1];
          f.add(
            `${school.urn},${e.pupil.upn},${day.date},${a.session & 1 ? 'PM' : 'AM'},${a.original},${a.amended},${q(a.reason)},${a.amendedOn},${a.amendedBy}\n`,
          );
        }
      }
    } finally {
      f.close();
    }
  }

  const suspended = inTerm.filter((e) => e.suspensions.some((s) => s.startDay >= from && s.startDay < to));
  if (suspended.length > 0) {
    const f = new TextFile(path.join(folder, 'suspensions.csv'), SUSPENSIONS_HEADER);
    try {
      for (const e of suspended) {
        for (const s of e.suspensions) {
          if (s.startDay < from || s.startDay >= to) continue;
          f.add(`${school.urn},${e.pupil.upn},${s.category},${cal.days[s.startDay].date},${s.sessions},${q(s.reason)}\n`);
        }
      }
    } finally {
      f.close();
    }
  }
  return { folder, marks: count };
}
