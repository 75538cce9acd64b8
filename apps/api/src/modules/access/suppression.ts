/**
 * Small-number suppression for people who may not see the pupils behind a figure (analysts,
 * and everyone for schools and LAs outside their pupil scope), after the DfE's statistical
 * disclosure control: a count of 1 to 4 pupils is not shown (DfE files show it as "low"/"c"),
 * nor any rate worked out from it; a group of fewer than 5 pupils shows nothing at all.
 * Withheld figures are null. Zero is shown: it discloses nothing about a pupil.
 */
export const SUPPRESSION_THRESHOLD = 5;

export function isSmallCount(count: number): boolean {
  return count > 0 && count < SUPPRESSION_THRESHOLD;
}

/** The pupil counts a group's figures are built from. */
export interface GroupCounts {
  enrolments: number;
  persistentAbsentees: number;
  severeAbsentees: number;
}

/** Which of a group's figures must be withheld. */
export interface Withheld {
  /** Fewer than 5 pupils: every figure of the group. */
  all: boolean;
  /** 1–4 persistent absentees: their count and rate. */
  persistent: boolean;
  /** 1–4 severe absentees: their count and rate. */
  severe: boolean;
}

export function withheld(counts: GroupCounts): Withheld {
  const all = isSmallCount(counts.enrolments);
  return {
    all,
    persistent: all || isSmallCount(counts.persistentAbsentees),
    severe: all || isSmallCount(counts.severeAbsentees),
  };
}

export const NOTHING_WITHHELD: Withheld = { all: false, persistent: false, severe: false };
