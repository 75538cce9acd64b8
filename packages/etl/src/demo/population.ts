import type { SchoolCalendar } from './calendar.js';
import { FORENAMES_F, FORENAMES_M, SURNAMES } from './names.js';
import type { PublicSchool } from './public-data.js';
import type { Rng } from './rng.js';
import { makeUpn } from './upn.js';

export type Phase = 'primary' | 'secondary' | 'special';
export type CareStatus = 'CLA' | 'CPP' | 'CIN';

export interface School {
  urn: number;
  laestab: number;
  name: string;
  laCode: number;
  phase: Phase;
  allThrough: boolean;
  postcode: string;
  headcount: number;
  fsm: number;
  eal: number;
  whiteBritish: number;
  inset: number[];
  outOfArea: boolean;
  /** Pupils to generate per NC year (0 = reception). */
  yearSizes: Map<number, number>;
}

export interface Suspension {
  category: 'SUSP' | 'PERM';
  startDay: number;
  sessions: number;
  reason: string;
}

export interface Amendment {
  session: number;
  original: string;
  amended: string;
  reason: string;
  amendedOn: string;
  amendedBy: string;
}

export interface Enrolment {
  pupil: Pupil;
  school: School;
  status: 'C' | 'M' | 'S';
  /** First and last day index on roll (inclusive). */
  first: number;
  last: number;
  admissionDate: string;
  leavingDate: string;
  /** Weekdays (1–5) the pupil spends at the other school of a dual registration (marked D here). */
  dualWeekdays: number[];
  marks: Uint8Array;
  minutes: Uint8Array | null;
  possible: number;
  rate: number;
  suspensions: Suspension[];
  amendments: Amendment[];
}

export interface Pupil {
  id: number;
  upn: string;
  forename: string;
  surname: string;
  dob: string;
  sex: 'M' | 'F';
  ethnicity: string;
  ncYear: number;
  fsm: boolean;
  fsm6: boolean;
  sen: 'N' | 'K' | 'E';
  senNeed: string;
  eal: boolean;
  youngCarer: boolean;
  /** Quantile of the pupil's absence propensity within their cohort cell, in (0, 1). */
  propensity: number;
  care: CareStatus | null;
  enrolments: Enrolment[];
}

const OTHER_ETHNICITIES: [string, number][] = [
  ['WIRI', 1], ['WROM', 0.6], ['WOTH', 6], ['MWBC', 5], ['MWBA', 1.5], ['MWAS', 2], ['MOTH', 3],
  ['AIND', 6], ['APKN', 9], ['ABAN', 3], ['AOTH', 3], ['BCRB', 3], ['BAFR', 4], ['BOTH', 1],
  ['CHNE', 1], ['OOTH', 3], ['REFU', 1.5], ['NOBT', 1],
];
const OTHER_ETH_WEIGHTS = OTHER_ETHNICITIES.map(([, w]) => w);

const NEEDS_K: [string, number][] = [
  ['SLCN', 25], ['SEMH', 20], ['MLD', 15], ['SPLD', 13], ['ASD', 10], ['OTH', 5], ['NSA', 4], ['PD', 3], ['HI', 2], ['VI', 1], ['MSI', 1],
];
const NEEDS_E: [string, number][] = [
  ['ASD', 35], ['SEMH', 20], ['SLCN', 20], ['MLD', 8], ['SPLD', 5], ['PD', 5], ['SLD', 4], ['HI', 2], ['VI', 1],
];
const NEEDS_SPECIAL: [string, number][] = [
  ['ASD', 35], ['SLD', 20], ['SEMH', 15], ['MLD', 12], ['SLCN', 7], ['PMLD', 6], ['PD', 3], ['OTH', 2],
];

function pickWeighted(rng: Rng, table: [string, number][]): string {
  return table[rng.weighted(table.map(([, w]) => w))][0];
}

function pct(value: number | null, fallback: number): number {
  return value === null ? fallback : Math.min(1, Math.max(0, value / 100));
}

function phaseOf(s: PublicSchool): Phase {
  if (s.phaseType === 'State-funded primary') return 'primary';
  if (s.phaseType === 'State-funded secondary') return 'secondary';
  return 'special';
}

/** Splits a headcount over NC years, with stochastic rounding so totals stay right on average. */
function yearSizes(phase: Phase, allThrough: boolean, hasSixthForm: boolean, headcount: number, rng: Rng): Map<number, number> {
  const weights = new Map<number, number>();
  if (phase === 'primary') for (let y = 0; y <= 6; y++) weights.set(y, 1);
  else if (phase === 'special') for (let y = 0; y <= 14; y++) weights.set(y, y === 0 ? 0.4 : y >= 12 ? 0.7 : 1);
  else {
    if (allThrough) for (let y = 0; y <= 6; y++) weights.set(y, 0.8);
    for (let y = 7; y <= 11; y++) weights.set(y, 1);
    if (hasSixthForm) weights.set(12, 0.6).set(13, 0.5);
  }
  let total = 0;
  for (const w of weights.values()) total += w;
  const sizes = new Map<number, number>();
  for (const [y, w] of weights) {
    const exact = (headcount * w) / total;
    sizes.set(y, Math.floor(exact) + (rng.next() < exact - Math.floor(exact) ? 1 : 0));
  }
  return sizes;
}

export function toSchool(s: PublicSchool, scale: number, cal: SchoolCalendar, rng: Rng, outOfArea: boolean): School {
  const phase = phaseOf(s);
  const allThrough = phase === 'secondary' && /all[- ]?through/i.test(s.name);
  const headcount = Math.max(0, Math.round((s.headcount ?? 0) * scale));
  const hasSixthForm = phase === 'secondary' && (/sixth form|college|grammar/i.test(s.name) || (s.headcount ?? 0) >= 1100);
  return {
    urn: s.urn,
    laestab: s.laestab,
    name: s.name,
    laCode: s.laCode,
    phase,
    allThrough,
    postcode: s.postcode,
    headcount,
    fsm: pct(s.fsmPct, 0.24),
    eal: pct(s.ealPct, 0.12),
    whiteBritish: pct(s.whiteBritishPct, 0.65),
    inset: rng.pick(cal.insetPatterns),
    outOfArea,
    yearSizes: outOfArea ? new Map() : yearSizes(phase, allThrough, hasSixthForm, headcount, rng),
  };
}

/** 1 September of the academic year's first calendar year, e.g. 2024 for 2024/25. */
export function startYear(academicYear: string): number {
  return Number(academicYear.slice(0, 4));
}

function isoDay(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date of birth consistent with an NC year: born 1 Sep (Y0 − year − 5) … 31 Aug (Y0 − year − 4). */
export function dobFor(ncYear: number, y0: number, rng: Rng): string {
  const from = Date.UTC(y0 - ncYear - 5, 8, 1);
  const to = Date.UTC(y0 - ncYear - 4, 7, 31);
  return new Date(from + Math.floor(rng.next() * ((to - from) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

export class UpnAllocator {
  private readonly used = new Set<string>();
  private readonly serials = new Map<string, number>();

  constructor(private readonly rng: Rng) {}

  allocate(laCode: number, estabs: number[], year: number): string {
    for (;;) {
      const estab = this.rng.pick(estabs);
      const key = `${laCode}-${estab}-${year}`;
      const serial = this.serials.get(key) ?? this.rng.int(0, 40);
      if (serial > 999) continue;
      this.serials.set(key, serial + 1 + (this.rng.chance(0.2) ? 1 : 0));
      const upn = makeUpn(laCode, estab, year, serial);
      if (this.used.has(upn)) continue;
      this.used.add(upn);
      return upn;
    }
  }
}

export interface PupilFactory {
  make(school: School, ncYear: number): Pupil;
}

export function pupilFactory(
  rng: Rng,
  academicYear: string,
  upns: UpnAllocator,
  laCode: number,
  primaryEstabs: number[],
  /** Id of the first pupil made (ids stay unique across the years of a demo with history). */
  firstId = 1,
): PupilFactory {
  const y0 = startYear(academicYear);
  let nextId = firstId;
  return {
    make(school, ncYear) {
      const sex: 'M' | 'F' = rng.chance(0.512) ? 'M' : 'F';
      const ethnicity = rng.chance(school.whiteBritish) ? 'WBRI' : OTHER_ETHNICITIES[rng.weighted(OTHER_ETH_WEIGHTS)][0];
      const nonWhiteBritish = Math.max(0.01, 1 - school.whiteBritish);
      const ealOther = Math.min(0.95, Math.max(0, (school.eal - 0.005 * school.whiteBritish) / nonWhiteBritish));
      const eal = ethnicity === 'WBRI' ? rng.chance(0.005) : rng.chance(ealOther);
      const fsm = rng.chance(school.fsm);
      let sen: 'N' | 'K' | 'E' = 'N';
      let senNeed = '';
      if (school.phase === 'special') {
        sen = rng.chance(0.95) ? 'E' : 'K';
        senNeed = pickWeighted(rng, NEEDS_SPECIAL);
      } else {
        const tilt = (sex === 'M' ? 1.45 : 0.6) * (fsm ? 1.5 : 0.88);
        const pE = (school.phase === 'primary' ? 0.025 : 0.022) * tilt;
        const pK = (school.phase === 'primary' ? 0.13 : 0.12) * tilt;
        const r = rng.next();
        if (r < pE) {
          sen = 'E';
          senNeed = pickWeighted(rng, NEEDS_E);
        } else if (r < pE + pK) {
          sen = 'K';
          senNeed = pickWeighted(rng, NEEDS_K);
        }
      }
      const names = sex === 'M' ? FORENAMES_M : FORENAMES_F;
      // UPNs are allocated when a child first joins a school, usually in reception at a primary.
      const upnYear = y0 - Math.max(0, ncYear);
      const estabs = school.phase === 'primary' || primaryEstabs.length === 0 ? [school.laestab % 10000] : primaryEstabs;
      return {
        id: nextId++,
        upn: upns.allocate(laCode, estabs, upnYear),
        forename: rng.pick(names),
        surname: rng.pick(SURNAMES),
        dob: dobFor(ncYear, y0, rng),
        sex,
        ethnicity,
        ncYear,
        fsm,
        fsm6: fsm || rng.chance(0.08),
        sen,
        senNeed,
        eal,
        youngCarer: rng.chance(ncYear >= 5 ? 0.012 : 0.004),
        propensity: 0.5,
        care: null,
        enrolments: [],
      };
    },
  };
}

/** The year a pupil of `ncYear` first joined this school, as a normal admission. */
function entryYear(school: School, ncYear: number): number {
  if (school.phase === 'primary' || school.allThrough) return 0;
  if (school.phase === 'secondary') return ncYear >= 12 ? 12 : 7;
  return Math.max(0, ncYear - 2);
}

export function newEnrolment(
  pupil: Pupil,
  school: School,
  cal: SchoolCalendar,
  first: number,
  last: number,
  admissionDate: string,
  status: Enrolment['status'] = 'C',
): Enrolment {
  const e: Enrolment = {
    pupil,
    school,
    status,
    first,
    last,
    admissionDate,
    leavingDate: last < cal.days.length - 1 ? cal.days[last].date : '',
    dualWeekdays: [],
    marks: new Uint8Array(cal.days.length * 2),
    minutes: null,
    possible: 0,
    rate: 0,
    suspensions: [],
    amendments: [],
  };
  pupil.enrolments.push(e);
  return e;
}

/** A normal admission date for a pupil already on roll on the first day of the year. */
export function usualAdmission(school: School, ncYear: number, academicYear: string, rng: Rng): string {
  const y0 = startYear(academicYear);
  const span = ncYear - entryYear(school, ncYear);
  if (span > 0 && rng.chance(0.08)) {
    // joined mid-year in an earlier school year
    const yearStart = y0 - rng.int(1, span);
    const month = rng.pick([1, 2, 3, 4, 5, 6, 10, 11]);
    return isoDay(month >= 9 ? yearStart : yearStart + 1, month, rng.int(1, 28));
  }
  const year = y0 - (ncYear - entryYear(school, ncYear));
  const day = rng.int(2, 6);
  // Pupils starting this September are on roll from before the first register day.
  return isoDay(year, 9, year === y0 ? 1 : day);
}
