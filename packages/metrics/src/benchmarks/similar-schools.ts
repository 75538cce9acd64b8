/**
 * Similar schools (methodology §6.2): a transparent distance on school characteristics, started
 * from DfE's financial benchmarking (FBIT) pupil-comparator distance (S21) and extended with EAL %;
 * schools are compared only within the same phase. `docs/benchmarks.md` explains the weights with a
 * worked example.
 */

/** The characteristics the distance uses. Percentages are 0–100; null when not known. */
export interface SchoolCharacteristics {
  urn: number;
  phase: string;
  /** Pupils on roll (headcount). */
  pupils: number | null;
  fsmPct: number | null;
  /** Pupils with an EHC plan / pupils × 100, as FBIT defines SEN % (S21). */
  senPct: number | null;
  ealPct: number | null;
  /** Used to prefer comparators in the same region (FBIT selection). */
  region?: string | null;
  laCode?: string | null;
}

export type Characteristic = 'pupils' | 'fsmPct' | 'senPct' | 'ealPct';

/**
 * The weights of each characteristic's squared, range-scaled difference. FBIT's non-special
 * distance is 0.5 pupils, 0.4 FSM, 0.1 SEN (S21); Rollbook moves 0.05 from pupils and 0.05 from
 * FSM to EAL %, which DfE's own attendance similar-schools model lists among its characteristics
 * (S12), so that the weights still sum to 1.
 */
export const SIMILAR_SCHOOL_WEIGHTS: Readonly<Record<Characteristic, number>> = Object.freeze({
  pupils: 0.45,
  fsmPct: 0.35,
  senPct: 0.1,
  ealPct: 0.1,
});

/** FBIT: the 60 nearest are considered, then 30 are kept, same region first (S21). */
export const FBIT_POOL = 60;
export const FBIT_COMPARATORS = 30;
/** The issue asks for 20–30 comparators; fewer than this is flagged as a small group. */
export const MIN_COMPARATORS = 20;

/** The range (max − min) of each characteristic over a pool of schools; 0 when not known. */
export type Ranges = Record<Characteristic, number>;

export function characteristicRanges(schools: ReadonlyArray<SchoolCharacteristics>): Ranges {
  const out = {} as Ranges;
  for (const key of Object.keys(SIMILAR_SCHOOL_WEIGHTS) as Characteristic[]) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of schools) {
      const v = s[key];
      if (v === null || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    out[key] = max > min ? max - min : 0;
  }
  return out;
}

/**
 * The distance between two schools: √(Σ wᵢ (Δᵢ / rangeᵢ)²) over the characteristics both schools
 * have and whose range is not zero, with the weights of the characteristics used rescaled to sum
 * to 1 (so a school list without SEN % still gives distances on the same 0–1 scale). Null when the
 * schools share no characteristic.
 */
export function schoolDistance(
  a: SchoolCharacteristics,
  b: SchoolCharacteristics,
  ranges: Ranges,
  weights: Readonly<Record<Characteristic, number>> = SIMILAR_SCHOOL_WEIGHTS,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of Object.keys(weights) as Characteristic[]) {
    const x = a[key];
    const y = b[key];
    const range = ranges[key];
    if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y) || !(range > 0)) continue;
    const d = (x - y) / range;
    sum += weights[key] * d * d;
    weight += weights[key];
  }
  return weight === 0 ? null : Math.sqrt(sum / weight);
}

export interface Comparator {
  urn: number;
  distance: number;
  /** 1 = most similar. */
  rank: number;
  sameRegion: boolean;
}

export interface ComparatorOptions {
  /** How many comparators to keep (FBIT: 30). */
  count?: number;
  /** How many nearest to consider before preferring the same region (FBIT: 60). */
  pool?: number;
  /** Prefer schools in the target's region, as FBIT does (for national comparisons). */
  preferSameRegion?: boolean;
  weights?: Readonly<Record<Characteristic, number>>;
}

/**
 * The most similar schools to `target` among `candidates`: same phase only, never the school
 * itself, ranges taken over the target's phase in `candidates`. With `preferSameRegion`, FBIT's
 * selection (S21): of the `pool` nearest, keep those in the target's region; fewer than `count`
 * are filled with the next nearest from other regions; more are cut to the nearest `count`.
 * Ties in distance are broken by URN so the result is deterministic.
 */
export function similarSchools(
  target: SchoolCharacteristics,
  candidates: ReadonlyArray<SchoolCharacteristics>,
  options: ComparatorOptions = {},
): Comparator[] {
  const count = options.count ?? FBIT_COMPARATORS;
  const pool = options.pool ?? FBIT_POOL;
  const samePhase = candidates.filter((c) => c.phase === target.phase);
  const ranges = characteristicRanges([target, ...samePhase]);
  const scored: Omit<Comparator, 'rank'>[] = [];
  for (const c of samePhase) {
    if (c.urn === target.urn) continue;
    const distance = schoolDistance(target, c, ranges, options.weights);
    if (distance === null) continue;
    scored.push({ urn: c.urn, distance, sameRegion: !!target.region && c.region === target.region });
  }
  scored.sort((x, y) => x.distance - y.distance || x.urn - y.urn);
  let chosen: Omit<Comparator, 'rank'>[];
  if (options.preferSameRegion) {
    const nearest = scored.slice(0, pool);
    const region = nearest.filter((s) => s.sameRegion);
    if (region.length >= count) chosen = region.slice(0, count);
    else {
      const taken = new Set(region.map((s) => s.urn));
      chosen = [...region, ...scored.filter((s) => !taken.has(s.urn)).slice(0, count - region.length)];
      chosen.sort((x, y) => x.distance - y.distance || x.urn - y.urn);
    }
  } else chosen = scored.slice(0, count);
  return chosen.map((s, i) => ({ ...s, rank: i + 1 }));
}

export interface GroupPosition {
  /**
   * Percentage of the group whose value is lower than the school's, ties counting half:
   * 0 = the lowest absence of the group, 100 = the highest (for a "higher is better" measure the
   * order is reversed, so 0 is always the best).
   */
  percentile: number;
  /** 1 = the quarter with the lowest absence … 4 = the quarter with the highest. */
  quartile: 1 | 2 | 3 | 4;
  /** 1 = lowest absence among the school and its group. */
  rank: number;
  /** Members of the group with a value (the school not included). */
  groupSize: number;
}

/** Where a school's value sits among its similar schools' values (missing values left out). */
export function positionInGroup(
  value: number | null,
  group: ReadonlyArray<number | null>,
  direction: 'higher_is_better' | 'lower_is_better' = 'lower_is_better',
): GroupPosition | null {
  if (value === null || !Number.isFinite(value)) return null;
  const sign = direction === 'lower_is_better' ? 1 : -1;
  const own = sign * value;
  const values = group.filter((v): v is number => v !== null && Number.isFinite(v)).map((v) => sign * v);
  if (values.length === 0) return null;
  const lower = values.filter((v) => v < own).length;
  const ties = values.filter((v) => v === own).length;
  const percentile = (100 * (lower + ties / 2)) / values.length;
  return { percentile, quartile: quartileOf(percentile), rank: lower + 1, groupSize: values.length };
}

/** The quartile of a percentile: [0, 25) → 1, [25, 50) → 2, [50, 75) → 3, [75, 100] → 4. */
export function quartileOf(percentile: number): 1 | 2 | 3 | 4 {
  if (percentile < 25) return 1;
  if (percentile < 50) return 2;
  if (percentile < 75) return 3;
  return 4;
}
