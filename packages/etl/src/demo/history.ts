/**
 * Years before the last one, for a demo with history: the register codes of each year's era, the
 * COVID-19 closures and self-isolation, the rise in absence after the pandemic, and pupils moving
 * up a year group (Year 6 to secondary school, new reception classes) from one year to the next.
 */
import { CODES, CODE_INDEX, OFF_ROLL } from './absence.js';
import type { SchoolCalendar } from './calendar.js';
import { startYear, usualAdmission, type Enrolment, type Pupil, type PupilFactory, type School } from './population.js';
import type { PhaseTarget } from './public-data.js';
import type { Rng } from './rng.js';

/**
 * Absence in each year against 2024/25 (the year the demo is calibrated to), from DfE's national
 * headline figures for state-funded schools, rounded (methodology §7 [U]): overall absence
 * 4.9 % and persistent absence 13.1 % in the autumn and spring terms of 2019/20; 4.6 % and
 * 12.1 % in 2020/21 (autumn and spring); then 7.6 % / 22.5 % (2021/22), 7.4 % / 22.3 %
 * (2022/23), 7.1 % / 20.0 % (2023/24) against about 6.9 % / 17.8 % in 2024/25.
 */
export const ABSENCE_AGAINST_2024_25: Readonly<Record<string, { overall: number; persistent: number }>> = {
  '2019/20': { overall: 0.71, persistent: 0.74 },
  '2020/21': { overall: 0.67, persistent: 0.68 },
  '2021/22': { overall: 1.1, persistent: 1.26 },
  '2022/23': { overall: 1.07, persistent: 1.25 },
  '2023/24': { overall: 1.03, persistent: 1.12 },
  '2024/25': { overall: 1, persistent: 1 },
};

/** The LA's 2024/25 targets scaled to another year's national level of absence. */
export function targetsFor(targets: PhaseTarget[], academicYear: string): PhaseTarget[] {
  const f = ABSENCE_AGAINST_2024_25[academicYear];
  if (!f) throw new Error(`no absence trend for ${academicYear}`);
  if (f.overall === 1 && f.persistent === 1) return targets;
  return targets.map((t) => ({ ...t, overallAbsencePerc: t.overallAbsencePerc * f.overall, paPerc: Math.min(95, t.paPerc * f.persistent) }));
}

/**
 * Codes introduced on 19 August 2024 (SI 2024/208; methodology §1.2), written as the code a school
 * used for the same thing before: `K` (education arranged by the LA) as `B` (off-site
 * education), `C1` and `C2` (regulated performance, part-time timetable) as `C`, `J1`
 * (interview) as `J`.
 */
const BEFORE_2024: Readonly<Record<string, string>> = { K: 'B', C1: 'C', C2: 'C', J1: 'J' };

/** The register token of every code index (`CODES`) as written in `academicYear`. */
export function tokensFor(academicYear: string): string[] {
  const old = startYear(academicYear) < 2024;
  return CODES.map((c) => (old ? (BEFORE_2024[c] ?? c) : c));
}

interface Closure {
  from: string;
  to: string;
  /** `#`: school closed to most pupils (spring and summer 2020); `X`: not attending because of COVID-19 (2020/21). */
  code: '#' | 'X';
  /** Chance that a pupil still attends (children of critical workers, vulnerable children). */
  attends: (p: Pupil) => number;
}

interface Isolation {
  from: string;
  to: string;
  /** Chance that a pupil self-isolates once in the window, and for how many school days. */
  chance: number;
  days: number;
}

const vulnerable = (p: Pupil) => p.care !== null || p.sen === 'E';

/**
 * Schools closed to most pupils from 23 March 2020; Reception, Year 1 and Year 6 went back from
 * 1 June 2020. National lockdown from 5 January to 5 March 2021 (code `X` for pupils not
 * attending, counted in possible sessions in DfE statistics: methodology §1.2, §8 rule 8).
 * Self-isolation (`X`) in 2020/21 and until the end of March 2022, when the `X` use ended.
 */
const CLOSURES: Readonly<Record<string, Closure[]>> = {
  '2019/20': [
    { from: '2020-03-23', to: '2020-05-31', code: '#', attends: (p) => (vulnerable(p) ? 0.15 : 0.03) },
    { from: '2020-06-01', to: '2020-07-31', code: '#', attends: (p) => (vulnerable(p) ? 0.2 : [0, 1, 6].includes(p.ncYear) ? 0.35 : 0.04) },
  ],
  '2020/21': [{ from: '2021-01-05', to: '2021-03-05', code: 'X', attends: (p) => (vulnerable(p) ? 0.35 : 0.08) }],
};
const ISOLATION: Readonly<Record<string, Isolation[]>> = {
  '2020/21': [
    { from: '2020-09-01', to: '2020-12-18', chance: 0.3, days: 10 },
    { from: '2021-03-08', to: '2021-07-23', chance: 0.2, days: 10 },
  ],
  '2021/22': [{ from: '2021-09-01', to: '2022-03-31', chance: 0.3, days: 5 }],
};

/**
 * Writes the COVID-19 registers of 2019/20 to 2021/22 over the marks already placed: closed
 * sessions (`#` or `X`) for pupils who did not attend, and self-isolation (`X`). Amendments of
 * the sessions overwritten go with them.
 */
export function covidRegisters(enrolments: Enrolment[], cal: SchoolCalendar, rng: Rng): void {
  const closures = CLOSURES[cal.academicYear] ?? [];
  const isolation = ISOLATION[cal.academicYear] ?? [];
  if (closures.length === 0 && isolation.length === 0) return;
  const dayRange = (from: string, to: string): [number, number] => {
    const first = cal.days.findIndex((d) => d.date >= from);
    const after = cal.days.findIndex((d) => d.date > to);
    return [first < 0 ? cal.days.length : first, after < 0 ? cal.days.length : after];
  };
  const attending = new Map<string, boolean>();
  // Dual registration and INSET days stay as they are, and so do suspensions (`E`): the pupil
  // was suspended whether or not the school was open to them.
  const kept = new Set<number>([OFF_ROLL, CODE_INDEX.D, CODE_INDEX['#'], CODE_INDEX.E]);
  for (const e of enrolments) {
    const overwritten = new Set<number>();
    const mark = (d: number, code: number) => {
      if (d < e.first || d > e.last) return;
      for (const s of [2 * d, 2 * d + 1]) {
        const m = e.marks[s];
        if (kept.has(m)) continue;
        e.marks[s] = code;
        if (e.minutes) e.minutes[s] = 0;
        overwritten.add(s);
      }
    };
    for (const [i, c] of closures.entries()) {
      const key = `${e.pupil.id}:${i}`;
      let attends = attending.get(key);
      if (attends === undefined) {
        attends = rng.chance(c.attends(e.pupil));
        attending.set(key, attends);
      }
      if (attends) continue;
      const [from, to] = dayRange(c.from, c.to);
      for (let d = from; d < to; d++) mark(d, CODE_INDEX[c.code]);
    }
    for (const w of isolation) {
      if (!rng.chance(w.chance)) continue;
      const [from, to] = dayRange(w.from, w.to);
      if (to <= from) continue;
      const start = rng.int(from, to - 1);
      for (let d = start; d < Math.min(to, start + w.days); d++) mark(d, CODE_INDEX.X);
    }
    if (overwritten.size === 0) continue;
    e.amendments = e.amendments.filter((a) => !overwritten.has(a.session));
  }
}

/**
 * Where a pupil on roll at the end of a year goes in September: the same school, a secondary
 * school with a Year 7 place left (`places`, by URN), or away (null: Year 11 without a sixth
 * form, Year 13, the top of a special school, or no Year 7 place in the LA's schools).
 */
function nextSchool(school: School, ncYear: number, secondaries: School[], places: Map<number, number>, rng: Rng): School | null {
  if (school.yearSizes.has(ncYear)) return school;
  if (school.phase !== 'primary' || ncYear !== 7) return null;
  const weights = secondaries.map((s) => Math.max(0, places.get(s.urn) ?? 0));
  if (!weights.some((w) => w > 0)) return null;
  const chosen = secondaries[rng.weighted(weights)];
  places.set(chosen.urn, (places.get(chosen.urn) ?? 0) - 1);
  return chosen;
}

/** A pupil on the next year's roll: where, since when, and whether they were on roll last year. */
export interface RollEntry {
  pupil: Pupil;
  school: School;
  admission: string;
  continuing: boolean;
}

/**
 * The next academic year's roll: pupils on roll at the end of the year move up a year group
 * (Year 6 to a secondary school with a Year 7 place, chosen by the places left, or to a school
 * outside the LA's when there are none; Year 11 to the sixth form if the school has one; leavers
 * leave), about 3 % move away, a year group never outgrows its size, and pupils new to the LA
 * fill each school's year groups back up (all of reception). Enrolments and care status start again.
 */
export function nextYearRoll(
  previous: Pupil[],
  schools: School[],
  lastDayOfPrevious: number,
  academicYear: string,
  factory: PupilFactory,
  rng: Rng,
): RollEntry[] {
  const secondaries = schools.filter((s) => s.phase === 'secondary' && !s.allThrough && s.yearSizes.has(7));
  const places = new Map(secondaries.map((s) => [s.urn, s.yearSizes.get(7) ?? 0]));
  const roll: RollEntry[] = [];
  for (const p of previous) {
    const main = p.enrolments.filter((e) => e.status !== 'S' && !e.school.outOfArea).at(-1);
    if (!main || main.last < lastDayOfPrevious || rng.chance(0.03)) continue;
    const ncYear = p.ncYear + 1;
    const school = nextSchool(main.school, ncYear, secondaries, places, rng);
    if (!school) continue;
    p.ncYear = ncYear;
    // Free school meals come and go with family income; ever-6 FSM stays once gained.
    if (p.fsm ? rng.chance(0.08) : rng.chance(0.03)) p.fsm = !p.fsm;
    p.fsm6 ||= p.fsm;
    const admission = school === main.school ? main.admissionDate : usualAdmission(school, ncYear, academicYear, rng);
    roll.push({ pupil: p, school, admission, continuing: true });
  }
  // Year groups stay the size of the school's: pupils who moved into a full year group during the
  // year leave it (to schools outside the LA's), pupils new to the LA fill the rest.
  const cells = new Map<string, RollEntry[]>();
  for (const r of roll) {
    const key = `${r.school.urn}:${r.pupil.ncYear}`;
    const cell = cells.get(key);
    if (cell) cell.push(r);
    else cells.set(key, [r]);
  }
  const kept: RollEntry[] = [];
  for (const school of schools) {
    for (const [ncYear, size] of school.yearSizes) {
      const cell = cells.get(`${school.urn}:${ncYear}`) ?? [];
      if (cell.length > size) rng.shuffle(cell);
      kept.push(...cell.slice(0, size));
      for (let k = cell.length; k < size; k++) {
        kept.push({ pupil: factory.make(school, ncYear), school, admission: usualAdmission(school, ncYear, academicYear, rng), continuing: false });
      }
    }
  }
  roll.length = 0;
  roll.push(...kept);
  for (const r of roll) {
    r.pupil.enrolments = [];
    r.pupil.care = null;
  }
  return roll;
}

/**
 * Absence propensity from one year to the next: most pupils keep their place in their cohort's
 * distribution (with a little drift), one in five starts afresh.
 */
export function carryPropensity(u: number, rng: Rng): number {
  if (rng.chance(0.2)) return rng.next();
  let v = u + 0.06 * rng.normal();
  if (v < 0) v = -v;
  if (v >= 1) v = 2 - v;
  return Math.min(1 - 1e-9, Math.max(1e-9, v));
}
