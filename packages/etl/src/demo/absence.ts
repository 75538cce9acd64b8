import type { SchoolCalendar } from './calendar.js';
import type { Enrolment, Phase, Pupil } from './population.js';
import type { BandCell, PhaseTarget } from './public-data.js';
import type { Rng } from './rng.js';

/** Register codes as stored in `Enrolment.marks` (index → token). 0 is present (`/` AM, `\` PM). */
export const CODES = ['', 'L', 'K', 'V', 'P', 'W', 'B', 'D', 'C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'G', 'N', 'O', 'U', '#', 'X'] as const;
export type Code = (typeof CODES)[number];
export const OFF_ROLL = 255;
export const PRESENT = 0;
const C = Object.fromEntries(CODES.map((c, i) => [c, i])) as Record<Code, number>;
export const CODE_INDEX = C;

/** Absence codes and the EES reason column each is published in. */
const ABSENCE_COLUMNS: [Code, string][] = [
  ['I', 'reason_i_authorised_illness'],
  ['M', 'reason_m_authorised_medical_dental'],
  ['R', 'reason_r_authorised_religious_observance'],
  ['S', 'reason_s_authorised_study_leave'],
  ['T', 'reason_t_authorised_mobile_child'],
  ['E', 'reason_e_authorised_excluded'],
  ['C', 'reason_c_authorised_other'],
  ['C1', 'reason_c1_authorised_regulated_performance'],
  ['J1', 'reason_j1_authorised_interview'],
  ['C2', 'reason_c2_authorised_temp_reduced_timetable'],
  ['G', 'reason_g_unauthorised_holiday'],
  ['U', 'reason_u_unauthorised_late_after_registers_closed'],
  ['O', 'reason_o_other_unauthorised'],
  ['N', 'reason_n_no_reason_yet'],
];
/** Codes shared out per pupil after the block codes (C2, E, G) are placed. */
const SPREAD_CODES: Code[] = ['I', 'M', 'R', 'S', 'T', 'C', 'C1', 'J1', 'U', 'O', 'N'];
const UNAUTHORISED = new Set<Code>(['G', 'U', 'O', 'N']);

const SUSPENSION_REASONS = [
  'Persistent or general disruptive behaviour',
  'Verbal abuse or threatening behaviour against an adult',
  'Physical assault against a pupil',
  'Verbal abuse or threatening behaviour against a pupil',
  'Use or threat of use of an offensive weapon or prohibited item',
  'Damage',
  'Bullying',
];

export type EesPhase = PhaseTarget['schoolType'];

export function eesPhase(phase: Phase): EesPhase {
  return phase === 'primary' ? 'Primary' : phase === 'secondary' ? 'Secondary' : 'Special';
}

// ---------------------------------------------------------------------------------------------
// Propensity: the LA's published absence-band distribution by school type × FSM × SEN × sex × year
// ---------------------------------------------------------------------------------------------

const BAND_LO = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

export class BandModel {
  private readonly cells = new Map<string, number[]>();
  private readonly cache = new Map<string, Float64Array>();

  constructor(bands: BandCell[]) {
    for (const b of bands) {
      if (b.fsm === 'Unclassified' || b.sen === 'Unclassified' || b.gender === 'Unclassified' || b.ncYear === null) continue;
      for (const key of [
        `${b.schoolType}|${b.fsm}|${b.sen}|${b.gender}|${b.ncYear}`,
        `${b.schoolType}|${b.fsm}|${b.sen}|${b.gender}`,
        `${b.schoolType}|${b.sen}`,
        `${b.schoolType}`,
      ]) {
        const acc = this.cells.get(key) ?? new Array(11).fill(0);
        b.counts.forEach((c, i) => (acc[i] += c));
        this.cells.set(key, acc);
      }
    }
  }

  /** Cumulative band probabilities for a pupil, smoothed towards coarser cells when sparse. */
  cumulative(schoolType: string, fsm: boolean, sen: Pupil['sen'], sex: Pupil['sex'], ncYear: number): Float64Array {
    const f = fsm ? 'Eligible' : 'Not Eligible';
    const s = sen === 'N' ? 'No identified special educational need' : 'Any special educational need';
    const g = sex === 'M' ? 'Male' : 'Female';
    const year = schoolType === 'State-funded primary' ? Math.min(6, Math.max(1, ncYear)) : schoolType === 'State-funded secondary' ? Math.min(11, Math.max(7, ncYear)) : Math.min(11, Math.max(1, ncYear));
    const key = `${schoolType}|${f}|${s}|${g}|${year}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const chain = [key, `${schoolType}|${f}|${s}|${g}`, `${schoolType}|${s}`, `${schoolType}`];
    // Empirical-Bayes style smoothing: each level borrows 25 pupils' worth of its parent's shape.
    let dist: number[] | null = null;
    for (let i = chain.length - 1; i >= 0; i--) {
      const counts = this.cells.get(chain[i]);
      if (!counts) continue;
      if (dist === null) {
        const total = counts.reduce((a, b) => a + b, 0);
        dist = counts.map((c) => c / total);
      } else {
        const total = counts.reduce((a, b) => a + b, 0);
        const prior: number[] = dist;
        dist = counts.map((c, j) => (c + 25 * prior[j]) / (total + 25));
      }
    }
    if (dist === null) throw new Error(`no absence bands for ${schoolType}`);
    const cum = new Float64Array(11);
    let acc = 0;
    dist.forEach((p, i) => (cum[i] = acc += p));
    this.cache.set(key, cum);
    return cum;
  }

  /** The overall-absence rate at quantile `u` of a cumulative band distribution. */
  static rateAt(cum: Float64Array, u: number): number {
    let b = 0;
    while (b < 10 && u >= cum[b]) b++;
    const lo = b === 0 ? 0 : cum[b - 1];
    const v = Math.min(1, Math.max(0, (u - lo) / Math.max(1e-12, cum[b] - lo)));
    return b < 10 ? BAND_LO[b] + 0.05 * v : 0.5 + 0.5 * v ** 1.6;
  }
}

export function bandSchoolType(phase: Phase, ncYear: number, allThrough: boolean): string {
  if (phase === 'special') return 'Special';
  if (phase === 'primary' || (allThrough && ncYear <= 6)) return 'State-funded primary';
  return 'State-funded secondary';
}

// ---------------------------------------------------------------------------------------------
// Calibration: map the 2022/23 shape onto the published 2024/25 overall and persistent absence
// ---------------------------------------------------------------------------------------------

/**
 * A monotone two-piece map of pupil rates r → r' such that the share of enrolments with r' ≥ 10 %
 * is `pa` and Σ possible·r' / Σ possible is `overall` (both fractions). Rates below the (1 − pa)
 * quantile r* are scaled into [0, 10 %); rates above are stretched from 10 % by a factor k found by
 * bisection (capped at 100 %).
 */
export function calibrationMap(rates: Float64Array, weights: Float64Array, overall: number, pa: number): (r: number) => number {
  const n = rates.length;
  if (n === 0) return (r) => r;
  const sorted = Float64Array.from(rates).sort();
  const idx = Math.min(n - 1, Math.max(0, Math.floor((1 - pa) * n)));
  const rStar = Math.max(1e-4, sorted[idx]);
  const lowScale = 0.0999 / rStar;
  let wTotal = 0;
  let lowSum = 0;
  for (let i = 0; i < n; i++) {
    wTotal += weights[i];
    if (rates[i] < rStar) lowSum += weights[i] * rates[i] * lowScale;
  }
  const meanFor = (k: number, low: number): number => {
    let s = low;
    for (let i = 0; i < n; i++) if (rates[i] >= rStar) s += weights[i] * Math.min(1, 0.1 + (rates[i] - rStar) * k);
    return s / wTotal;
  };
  const target = overall;
  if (meanFor(0, lowSum) >= target) {
    // Even with every persistent absentee at 10 %, the rest are too absent: shrink the low part.
    let highSum = 0;
    for (let i = 0; i < n; i++) if (rates[i] >= rStar) highSum += weights[i] * 0.1;
    const f = Math.max(0, (target * wTotal - highSum) / Math.max(1e-12, lowSum));
    return (r) => (r < rStar ? r * lowScale * f : 0.1);
  }
  let lo = 0;
  let hi = 1;
  while (meanFor(hi, lowSum) < target && hi < 1e6) hi *= 2;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (meanFor(mid, lowSum) < target) lo = mid;
    else hi = mid;
  }
  const k = (lo + hi) / 2;
  return (r) => (r < rStar ? r * lowScale : Math.min(1, 0.1 + (r - rStar) * k));
}

/** Absence sessions for a rate over `possible` sessions, never crossing the 10 % line by rounding. */
export function absenceCount(rate: number, possible: number): number {
  if (possible <= 0) return 0;
  const threshold = Math.ceil(0.1 * possible - 1e-9);
  let n = Math.round(rate * possible);
  n = rate >= 0.1 ? Math.max(n, threshold) : Math.min(n, threshold - 1);
  return Math.min(possible, Math.max(0, n));
}

// ---------------------------------------------------------------------------------------------
// Register set-up, allocation of absence by reason, and placement in the calendar
// ---------------------------------------------------------------------------------------------

/** Marks the sessions off roll, INSET days (`#`) and dual-registration days (`D`); counts possible. */
export function initialiseMarks(e: Enrolment, cal: SchoolCalendar): void {
  const m = e.marks;
  m.fill(OFF_ROLL);
  const inset = new Set(e.school.inset);
  let possible = 0;
  for (let d = e.first; d <= e.last; d++) {
    let code = PRESENT;
    if (inset.has(d)) code = C['#'];
    else if (e.dualWeekdays.includes(cal.days[d].weekday)) code = C.D;
    m[2 * d] = code;
    m[2 * d + 1] = code;
    if (code === PRESENT) possible += 2;
  }
  e.possible = possible;
}

/** Day weights (cumulative) for placing different kinds of absence. */
interface DaySampler {
  cum: Float64Array;
  total: number;
}

function sampler(cal: SchoolCalendar, weight: (d: SchoolCalendar['days'][number]) => number): DaySampler {
  const cum = new Float64Array(cal.days.length);
  let acc = 0;
  cal.days.forEach((d, i) => (cum[i] = acc += weight(d)));
  return { cum, total: acc };
}

export interface Samplers {
  illness: DaySampler;
  truancy: DaySampler;
  any: DaySampler;
}

export function daySamplers(cal: SchoolCalendar): Samplers {
  const winter = (m: number) => (m === 12 || m === 1 || m === 2 ? 1.45 : m === 11 || m === 3 ? 1.2 : m >= 6 && m <= 7 ? 0.8 : 1);
  return {
    // illness: a Monday start is most common; winter is worse
    illness: sampler(cal, (d) => (d.weekday === 1 ? 1.35 : d.weekday === 5 ? 1.1 : 1) * winter(d.month)),
    // unexplained absence clusters on Mondays and Fridays, and late in the summer term
    truancy: sampler(cal, (d) => (d.weekday === 1 ? 1.7 : d.weekday === 5 ? 1.9 : 1) * (d.halfTerm === 6 ? 1.3 : 1)),
    any: sampler(cal, () => 1),
  };
}

function sampleDay(s: DaySampler, rng: Rng): number {
  const r = rng.next() * s.total;
  let lo = 0;
  let hi = s.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class Placer {
  constructor(
    private readonly e: Enrolment,
    private readonly cal: SchoolCalendar,
    private readonly rng: Rng,
  ) {}

  private freeDay(d: number): boolean {
    return d >= this.e.first && d <= this.e.last && this.e.marks[2 * d] === PRESENT && this.e.marks[2 * d + 1] === PRESENT;
  }

  private dayIn(s: DaySampler): number {
    for (let i = 0; i < 12; i++) {
      const d = sampleDay(s, this.rng);
      if (d >= this.e.first && d <= this.e.last) return d;
    }
    return this.rng.int(this.e.first, this.e.last);
  }

  /** Any free session, scanning from a random point: the fallback that guarantees exact counts. */
  private anyFree(pm: boolean | null): number {
    const m = this.e.marks;
    const span = (this.e.last - this.e.first + 1) * 2;
    const start = 2 * this.e.first + this.rng.int(0, span - 1);
    for (let i = 0; i < span; i++) {
      const s = 2 * this.e.first + ((start - 2 * this.e.first + i) % span);
      if (m[s] === PRESENT && (pm === null || (s & 1) === (pm ? 1 : 0))) return s;
    }
    if (pm !== null) return this.anyFree(null);
    return -1;
  }

  /** Runs of whole days of `code` (lengths drawn by `len`), then single sessions for what is left. */
  runs(code: number, n: number, s: DaySampler, len: () => number, pPm: number): void {
    let tries = 0;
    while (n >= 2 && tries < 40) {
      const want = Math.min(len(), n >> 1);
      const d = this.dayIn(s);
      if (!this.freeDay(d)) {
        tries++;
        continue;
      }
      const ht = this.cal.days[d].halfTerm;
      let k = 0;
      for (let x = d; k < want && x <= this.e.last && this.cal.days[x].halfTerm === ht; x++) {
        if (!this.freeDay(x)) break;
        this.e.marks[2 * x] = code;
        this.e.marks[2 * x + 1] = code;
        k++;
      }
      n -= 2 * k;
    }
    this.singles(code, n, s, pPm, 0);
  }

  /** Single sessions (or whole days with probability `pDay`), PM with probability `pPm`. */
  singles(code: number, n: number, s: DaySampler, pPm: number, pDay: number): number[] {
    const placed: number[] = [];
    while (n > 0) {
      let done = false;
      for (let t = 0; t < 8 && !done; t++) {
        const d = this.dayIn(s);
        if (n >= 2 && pDay > 0 && this.rng.chance(pDay)) {
          if (this.freeDay(d)) {
            this.e.marks[2 * d] = code;
            this.e.marks[2 * d + 1] = code;
            placed.push(2 * d, 2 * d + 1);
            n -= 2;
            done = true;
          }
          continue;
        }
        const sess = 2 * d + (this.rng.chance(pPm) ? 1 : 0);
        if (d >= this.e.first && d <= this.e.last && this.e.marks[sess] === PRESENT) {
          this.e.marks[sess] = code;
          placed.push(sess);
          n--;
          done = true;
        }
      }
      if (!done) {
        const sess = this.anyFree(this.rng.chance(pPm));
        if (sess < 0) break;
        this.e.marks[sess] = code;
        placed.push(sess);
        n--;
      }
    }
    return placed;
  }

  /** A term-time holiday: a block of whole days next to a school holiday where possible. */
  holiday(code: number, days: number, s: DaySampler): void {
    const edges = this.cal.days.filter((d) => d.edge !== null && d.index >= this.e.first && d.index <= this.e.last);
    for (let t = 0; t < 6 && edges.length > 0; t++) {
      const edge = this.rng.pick(edges);
      const start = edge.edge === 'end' ? edge.index - days + 1 : edge.index;
      let ok = start >= this.e.first && start + days - 1 <= this.e.last;
      for (let d = start; ok && d < start + days; d++) ok = this.freeDay(d) && this.cal.days[d].halfTerm === edge.halfTerm;
      if (!ok) continue;
      for (let d = start; d < start + days; d++) {
        this.e.marks[2 * d] = code;
        this.e.marks[2 * d + 1] = code;
      }
      return;
    }
    this.runs(code, 2 * days, s, () => days, 0.5);
  }

  /** Suspension: consecutive whole days from a chosen day; returns [first day, sessions]. */
  suspension(days: number, s: DaySampler): [number, number] {
    for (let t = 0; t < 20; t++) {
      const d = this.dayIn(s);
      if (!this.freeDay(d)) continue;
      let k = 0;
      const term = this.cal.days[d].term;
      for (let x = d; k < days && x <= this.e.last && this.freeDay(x) && this.cal.days[x].term === term; x++) {
        this.e.marks[2 * x] = C.E;
        this.e.marks[2 * x + 1] = C.E;
        k++;
      }
      return [d, 2 * k];
    }
    return [-1, 0];
  }

  /** Part-time timetable: afternoons off (C2) for consecutive weeks. */
  partTime(n: number): void {
    let d = this.rng.int(this.e.first, Math.max(this.e.first, this.e.last - Math.ceil(n * 1.2)));
    let guard = 0;
    while (n > 0 && guard++ < 2 * this.cal.days.length) {
      if (d > this.e.last) d = this.e.first;
      if (this.e.marks[2 * d + 1] === PRESENT) {
        this.e.marks[2 * d + 1] = C.C2;
        n--;
      }
      d++;
    }
  }
}

export interface PhaseGroup {
  phase: EesPhase;
  target: PhaseTarget;
  enrolments: Enrolment[];
}

/** Weighted sampling order without replacement (Efraimidis–Spirakis keys). */
function weightedOrder<T>(items: T[], weight: (t: T) => number, rng: Rng): T[] {
  return items
    .map((t) => ({ t, k: Math.log(rng.next() + 1e-12) / Math.max(1e-9, weight(t)) }))
    .sort((a, b) => b.k - a.k)
    .map((x) => x.t);
}

/**
 * Gives every enrolment of a phase its absence sessions by reason so that the phase's reason mix
 * matches the published counts, and places them in the calendar with realistic patterns.
 */
export function allocateAndPlace(group: PhaseGroup, cal: SchoolCalendar, samplers: Samplers, rng: Rng): void {
  const { target, enrolments } = group;
  const shares = new Map<Code, number>();
  let totalReasons = 0;
  for (const [code, col] of ABSENCE_COLUMNS) {
    const v = target.reasons[col];
    const x = Number.isFinite(v) ? v : 0;
    shares.set(code, x);
    totalReasons += x;
  }
  for (const [code, v] of shares) shares.set(code, totalReasons > 0 ? v / totalReasons : 0);

  const counts = enrolments.map((e) => absenceCount(e.rate, e.possible));
  const remaining = Int32Array.from(counts);
  const total = counts.reduce((a, b) => a + b, 0);
  const budget = (code: Code) => (shares.get(code) ?? 0) * total;
  const idxOf = new Map(enrolments.map((e, i) => [e, i]));
  const placers = enrolments.map((e) => new Placer(e, cal, rng));

  // 1. Part-time timetables (C2): a few pupils with high absence, afternoons off for weeks.
  let used = 0;
  const c2Budget = budget('C2');
  for (const e of weightedOrder(
    enrolments.filter((e, i) => e.rate >= 0.15 && counts[i] >= 24 && e.pupil.ncYear >= 1),
    (e) => (e.pupil.sen !== 'N' ? 3 : 1) * (e.pupil.ncYear >= 7 ? 2 : 1),
    rng,
  )) {
    if (used >= c2Budget) break;
    const i = idxOf.get(e)!;
    const n = Math.min(Math.floor(remaining[i] * 0.75), 2 * rng.int(10, 40), Math.ceil(c2Budget - used));
    if (n <= 0) continue;
    placers[i].partTime(n);
    remaining[i] -= n;
    used += n;
  }

  // 2. Suspensions (E), more likely for boys, FSM, SEN support and pupils already often absent.
  used = 0;
  const eBudget = budget('E');
  for (const e of weightedOrder(
    enrolments.filter((e, i) => remaining[i] >= 2 && e.pupil.ncYear >= 1),
    (e) => (e.rate >= 0.1 ? 3 : 1) * (e.pupil.sen === 'K' ? 2 : 1) * (e.pupil.fsm ? 1.6 : 1) * (e.pupil.sex === 'M' ? 1.7 : 1) * (e.pupil.ncYear >= 7 ? 3 : 1),
    rng,
  )) {
    if (used >= eBudget) break;
    const i = idxOf.get(e)!;
    const times = rng.chance(0.7) ? 1 : rng.int(2, 3);
    for (let t = 0; t < times && used < eBudget; t++) {
      const days = Math.min(e.pupil.ncYear >= 7 ? Math.min(5, rng.geometric(1.8)) : rng.chance(0.75) ? 1 : 2, remaining[i] >> 1);
      if (days <= 0) break;
      const [first, sessions] = placers[i].suspension(days, samplers.any);
      if (sessions === 0) break;
      e.suspensions.push({ category: 'SUSP', startDay: first, sessions, reason: rng.pick(SUSPENSION_REASONS) });
      remaining[i] -= sessions;
      used += sessions;
    }
  }

  // 3. Term-time holidays (G) in blocks of days beside school holidays.
  used = 0;
  const gBudget = budget('G');
  for (const e of weightedOrder(
    enrolments.filter((e, i) => remaining[i] >= 6),
    (e) => (e.pupil.ncYear <= 9 ? 1.5 : 1) * (e.school.phase === 'special' ? 0.3 : 1),
    rng,
  )) {
    if (used >= gBudget) break;
    const i = idxOf.get(e)!;
    const days = Math.min(rng.int(3, 10), remaining[i] >> 1);
    placers[i].holiday(C.G, days, samplers.any);
    remaining[i] -= 2 * days;
    used += 2 * days;
  }

  // 4. Everything else: a per-pupil mix, tilted (unexplained absence rises with overall absence
  //    and FSM; illness with SEN), with global multipliers fitted so the phase totals match.
  const spreadBudget = SPREAD_CODES.map((c) => budget(c));
  const tilts = enrolments.map((e) => {
    const unauth = (e.rate >= 0.2 ? 2.6 : e.rate >= 0.1 ? 1.6 : 0.8) * (e.pupil.fsm ? 1.4 : 1) * (e.pupil.care ? 1.5 : 1);
    const ill = e.pupil.sen === 'E' ? 1.3 : 1;
    return SPREAD_CODES.map((c) => (UNAUTHORISED.has(c) ? unauth : c === 'I' || c === 'M' ? ill : 1) * (c === 'S' && e.pupil.ncYear < 10 ? 0 : 1));
  });
  const mult = spreadBudget.map(() => 1);
  for (let it = 0; it < 8; it++) {
    const expected = SPREAD_CODES.map(() => 0);
    enrolments.forEach((_, i) => {
      if (remaining[i] <= 0) return;
      let z = 0;
      for (let c = 0; c < SPREAD_CODES.length; c++) z += mult[c] * tilts[i][c];
      for (let c = 0; c < SPREAD_CODES.length; c++) expected[c] += (remaining[i] * mult[c] * tilts[i][c]) / z;
    });
    for (let c = 0; c < SPREAD_CODES.length; c++) mult[c] = expected[c] > 0 ? (mult[c] * spreadBudget[c]) / expected[c] : 0;
  }
  const weights = new Float64Array(SPREAD_CODES.length);
  const perCode = new Int32Array(SPREAD_CODES.length);
  enrolments.forEach((e, i) => {
    if (remaining[i] <= 0) return;
    for (let c = 0; c < SPREAD_CODES.length; c++) weights[c] = mult[c] * tilts[i][c];
    perCode.fill(0);
    for (let k = 0; k < remaining[i]; k++) perCode[rng.weighted(weights)]++;
    const p = placers[i];
    SPREAD_CODES.forEach((code, c) => {
      const n = perCode[c];
      if (n === 0) return;
      const idx = C[code];
      if (code === 'I') p.runs(idx, n, samplers.illness, () => (rng.chance(0.45) ? 1 : rng.chance(0.5) ? 2 : rng.chance(0.6) ? 3 : rng.int(4, 8)), 0.75);
      else if (code === 'O' || code === 'N') p.singles(idx, n, samplers.truancy, 0.7, 0.55);
      else if (code === 'U') {
        for (const s of p.singles(idx, n, samplers.truancy, 0.1, 0)) setMinutes(e, s, rng.int(31, 75));
      } else if (code === 'M') p.singles(idx, n, samplers.any, 0.6, 0.15);
      else p.runs(idx, n, samplers.any, () => rng.int(1, 3), 0.5);
    });
  });
}

function setMinutes(e: Enrolment, session: number, minutes: number): void {
  if (!e.minutes) e.minutes = new Uint8Array(e.marks.length);
  e.minutes[session] = minutes;
}

/**
 * Lateness (L) and approved educational activity (V, B, P, W, K) on present sessions, at the
 * phase's published rates per possible session.
 */
export function placeAttendanceCodes(group: PhaseGroup, cal: SchoolCalendar, rng: Rng): void {
  const { target, enrolments } = group;
  const possible = target.possibleSessions;
  const rateOf = (col: string) => {
    const v = target.reasons[col];
    return Number.isFinite(v) && possible > 0 ? v / possible : 0;
  };
  const ourPossible = enrolments.reduce((a, e) => a + e.possible, 0);

  // L: a per-pupil lateness habit, heavier for pupils who are often absent; mostly mornings.
  const lateTarget = rateOf('reason_l_present_late_before_registers_closed') * ourPossible;
  const habit = enrolments.map((e) => Math.exp(0.9 * rng.normal()) * (1 + 4 * e.rate) * (e.pupil.ncYear >= 7 ? 1.3 : 1));
  const habitTotal = habit.reduce((a, h, i) => a + h * enrolments[i].possible, 0);
  enrolments.forEach((e, i) => {
    const p = Math.min(0.7, (habit[i] * lateTarget) / Math.max(1, habitTotal));
    if (p <= 0) return;
    for (let s = 2 * e.first; s <= 2 * e.last + 1; s++) {
      if (e.marks[s] !== PRESENT) continue;
      if (rng.next() < ((s & 1) === 0 ? p * 1.8 : p * 0.2)) {
        e.marks[s] = C.L;
        setMinutes(e, s, rng.chance(0.7) ? rng.int(2, 15) : rng.int(16, 30));
      }
    }
  });

  // V: class trips — whole days for a class-sized share of a year group.
  const bySchoolYear = new Map<string, Enrolment[]>();
  for (const e of enrolments) {
    const key = `${e.school.urn}|${e.pupil.ncYear}`;
    const list = bySchoolYear.get(key) ?? [];
    list.push(e);
    bySchoolYear.set(key, list);
  }
  const vPerPupil = rateOf('reason_v_aea_educational_visit_trip') * 380;
  const wTarget = rateOf('reason_w_aea_work_experience') * ourPossible;
  const year10 = enrolments.filter((e) => e.pupil.ncYear === 10).length;
  for (const list of bySchoolYear.values()) {
    const classShare = Math.min(1, 30 / list.length);
    const trips = Math.round(vPerPupil / (2 * classShare) + rng.next() - 0.5);
    for (let t = 0; t < trips; t++) {
      const d = rng.int(5, cal.days.length - 3);
      for (const e of list) {
        if (d < e.first || d > e.last || !rng.chance(classShare)) continue;
        if (e.marks[2 * d] === PRESENT && e.marks[2 * d + 1] === PRESENT) {
          e.marks[2 * d] = C.V;
          e.marks[2 * d + 1] = C.V;
        }
      }
    }
    // W: a work-experience week in the summer term for part of Year 10.
    if (wTarget > 0 && list[0].pupil.ncYear === 10) {
      const share = Math.min(1, wTarget / (10 * Math.max(1, year10)));
      const startDay = cal.summerHalfTerm2Start + 5 * rng.int(1, 5);
      for (const e of list) {
        if (!rng.chance(share)) continue;
        for (let d = startDay; d < startDay + 5 && d <= e.last; d++) {
          for (const s of [2 * d, 2 * d + 1]) if (e.marks[s] === PRESENT) e.marks[s] = C.W;
        }
      }
    }
  }

  // P (sport) and B (other supervised off-site activity): single sessions for some pupils.
  for (const [code, col, share] of [
    ['P', 'reason_p_aea_approved_sporting_activity', 0.15],
    ['B', 'reason_b_aea_education_off_site', 0.2],
  ] as const) {
    const perPupil = (rateOf(col) * ourPossible) / Math.max(1, enrolments.length * share);
    for (const e of enrolments) {
      if (!rng.chance(share)) continue;
      let n = Math.floor(perPupil + rng.next());
      for (let t = 0; n > 0 && t < 4 * perPupil + 8; t++) {
        const s = 2 * rng.int(e.first, e.last) + (rng.chance(0.7) ? 1 : 0);
        if (e.marks[s] === PRESENT) {
          e.marks[s] = C[code];
          n--;
        }
      }
    }
  }

  // K: LA-arranged provision one weekday a week, for a handful of pupils with SEN.
  let kLeft = rateOf('reason_k_aea_education_arranged_by_la') * ourPossible;
  for (const e of weightedOrder(enrolments.filter((e) => e.pupil.sen !== 'N'), (e) => 1 + 5 * e.rate, rng)) {
    if (kLeft < 20) break;
    const weekday = rng.int(1, 5);
    for (let d = e.first; d <= e.last && kLeft > 0; d++) {
      if (cal.days[d].weekday !== weekday) continue;
      for (const s of [2 * d, 2 * d + 1]) {
        if (e.marks[s] === PRESENT && kLeft > 0) {
          e.marks[s] = C.K;
          kLeft--;
        }
      }
    }
  }
}

/**
 * Amendment history: some absences were first entered as `N` (no reason yet) and replaced within
 * a few school days once the reason was known (WTISA expects N to be replaced within 5 days).
 */
export function recordAmendments(e: Enrolment, cal: SchoolCalendar, rng: Rng): void {
  const m = e.marks;
  for (let d = e.first; d <= e.last; d++) {
    const am = m[2 * d];
    const pm = m[2 * d + 1];
    const startOfIllness = am === C.I && (d === e.first || m[2 * d - 2] !== C.I);
    const truantDay = am === C.O && pm === C.O;
    if (!(startOfIllness && rng.chance(0.3)) && !(truantDay && rng.chance(0.5))) continue;
    const k = rng.int(1, 4);
    // a few school days later; after the last day of the year, a few calendar days later
    const later = d + k < cal.days.length ? cal.days[d + k].date : new Date(Date.parse(`${cal.days[d].date}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
    const amended = am === C.I ? 'I' : 'O';
    const reason = amended === 'I' ? 'Parent reported illness' : 'No satisfactory explanation received';
    const by = `ATT${String(e.school.urn % 97).padStart(2, '0')}${rng.int(1, 3)}`;
    for (const s of [2 * d, 2 * d + 1]) {
      if (m[s] === am) e.amendments.push({ session: s, original: 'N', amended, reason, amendedOn: later, amendedBy: by });
    }
  }
}
