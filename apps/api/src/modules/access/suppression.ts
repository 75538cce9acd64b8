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

/**
 * What to withhold of a total made of parts (a regional pool of LAs) that are shown, or withheld,
 * on the same page. Besides its own small counts, the total withholds a figure whenever the parts
 * withheld for it add up to 1–4 pupils: the total less the parts shown would give them away
 * (secondary suppression, as the DfE applies it to totals).
 */
export function withheldWithParts(total: GroupCounts, parts: ReadonlyArray<{ counts: GroupCounts; hide: Withheld }>): Withheld {
  const own = withheld(total);
  const hiddenSum = (flag: keyof Withheld, count: keyof GroupCounts): number =>
    parts.filter((p) => p.hide[flag]).reduce((sum, p) => sum + p.counts[count], 0);
  const all = own.all || isSmallCount(hiddenSum('all', 'enrolments'));
  return {
    all,
    persistent: all || own.persistent || isSmallCount(hiddenSum('persistent', 'persistentAbsentees')),
    severe: all || own.severe || isSmallCount(hiddenSum('severe', 'severeAbsentees')),
  };
}
