/**
 * "Where to help first": a ranked list of an LA's schools for attendance support, from the level,
 * trend and size of persistent and severe absence, each with the reasons it is ranked there.
 * The score is deliberately simple so that an attendance officer can check it by hand.
 */

export interface SchoolAbsenceProfile {
  urn: number;
  name: string;
  /** Enrolments in the period (DfE scope). */
  enrolments: number;
  persistentAbsentees: number;
  severeAbsentees: number;
  /** Persistent absence rate a year earlier (same period), or null when not known. */
  previousPaPerc: number | null;
}

/** The weights of the four parts of the score (they sum to 1). */
export const HELP_FIRST_WEIGHTS = Object.freeze({ persistentLevel: 0.3, severeLevel: 0.3, trend: 0.2, size: 0.2 });

/** A part of the score in the top quarter of the LA's schools is named as a reason. */
export const HELP_FIRST_REASON_PERCENTILE = 0.75;

export interface HelpFirstRow {
  rank: number;
  urn: number;
  name: string;
  /** 0–1; higher = help first. */
  score: number;
  paPerc: number | null;
  saPerc: number | null;
  /** Change in persistent absence rate on a year earlier, in percentage points. */
  paChangePp: number | null;
  persistentAbsentees: number;
  severeAbsentees: number;
  reasons: string[];
}

/** The share of `values` strictly below `v`, ties counting half: 0 = lowest, 1 = highest. */
function percentRank(v: number, values: readonly number[]): number {
  if (values.length <= 1) return 0.5;
  let below = 0;
  let ties = 0;
  for (const x of values) {
    if (x < v) below++;
    else if (x === v) ties++;
  }
  return (below + (ties - 1) / 2) / (values.length - 1);
}

const pct = (n: number, d: number): number | null => (d > 0 ? (100 * n) / d : null);
const fmt = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/**
 * Ranks schools for support. Each part is the school's percentile among the LA's schools given
 * (0 = lowest, 1 = highest): persistent absence rate, severe absence rate, rise in persistent
 * absence on a year earlier (0.5, neutral, when not known), and the number of persistently absent
 * pupils (size: a large school with many absent pupils matters more). Score = Σ weight × part.
 * Schools with no enrolments are left out.
 */
export function rankWhereToHelpFirst(
  schools: ReadonlyArray<SchoolAbsenceProfile>,
  laPaPerc: number | null = null,
): HelpFirstRow[] {
  const rows = schools
    .filter((s) => s.enrolments > 0)
    .map((s) => {
      const paPerc = pct(s.persistentAbsentees, s.enrolments);
      const saPerc = pct(s.severeAbsentees, s.enrolments);
      const paChangePp = paPerc !== null && s.previousPaPerc !== null ? paPerc - s.previousPaPerc : null;
      return { s, paPerc: paPerc ?? 0, saPerc: saPerc ?? 0, paChangePp };
    });
  const paAll = rows.map((r) => r.paPerc);
  const saAll = rows.map((r) => r.saPerc);
  const changeAll = rows.filter((r) => r.paChangePp !== null).map((r) => r.paChangePp as number);
  const sizeAll = rows.map((r) => r.s.persistentAbsentees);
  const w = HELP_FIRST_WEIGHTS;
  const out: HelpFirstRow[] = rows.map((r) => {
    const parts = {
      persistentLevel: percentRank(r.paPerc, paAll),
      severeLevel: percentRank(r.saPerc, saAll),
      trend: r.paChangePp === null ? 0.5 : percentRank(r.paChangePp, changeAll),
      size: percentRank(r.s.persistentAbsentees, sizeAll),
    };
    const score = w.persistentLevel * parts.persistentLevel + w.severeLevel * parts.severeLevel + w.trend * parts.trend + w.size * parts.size;
    const reasons: string[] = [];
    const top = HELP_FIRST_REASON_PERCENTILE;
    if (parts.persistentLevel >= top) {
      reasons.push(`Persistent absence ${fmt(r.paPerc)}%, in the highest quarter of the LA's schools${laPaPerc === null ? '' : ` (LA ${fmt(laPaPerc)}%)`}.`);
    }
    if (parts.severeLevel >= top && r.s.severeAbsentees > 0) {
      reasons.push(`Severe absence ${fmt(r.saPerc)}% (${r.s.severeAbsentees} pupils), in the highest quarter of the LA's schools.`);
    }
    if (r.paChangePp !== null && r.paChangePp > 0 && parts.trend >= top) {
      reasons.push(`Persistent absence up ${fmt(r.paChangePp)} percentage points on a year earlier, among the largest rises.`);
    }
    if (parts.size >= top) reasons.push(`${r.s.persistentAbsentees} persistently absent pupils, among the most in the LA.`);
    if (reasons.length === 0) reasons.push('No part of the score is in the highest quarter of the LA\'s schools.');
    if (r.paChangePp === null) reasons.push('No figures for a year earlier: the trend counts as neutral.');
    return {
      rank: 0,
      urn: r.s.urn,
      name: r.s.name,
      score,
      paPerc: r.paPerc,
      saPerc: r.saPerc,
      paChangePp: r.paChangePp,
      persistentAbsentees: r.s.persistentAbsentees,
      severeAbsentees: r.s.severeAbsentees,
      reasons,
    };
  });
  out.sort((a, b) => b.score - a.score || b.persistentAbsentees - a.persistentAbsentees || a.urn - b.urn);
  out.forEach((r, i) => (r.rank = i + 1));
  return out;
}
