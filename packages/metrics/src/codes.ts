/**
 * The register-code table: the one source of truth for what every attendance mark means in the
 * statistics. The TypeScript measures (`measures.ts`) and the DuckDB SQL (`sql.ts`) are both
 * generated from it.
 *
 * Sources (IDs from `reference/attendance-methodology.md` §0):
 * - codes in force from 19 August 2024: School Attendance (Pupil Registration) (England)
 *   Regulations 2024, SI 2024/208, reg 10 (S4), with the statistical treatment proved by
 *   arithmetic on the DfE published daily-attendance file (S3; methodology §1.1);
 * - codes in use before 2024/25: DfE absence statistics methodology (S1), MIS guidance (S7, S8);
 *   methodology §1.2;
 * - COVID-19 `X`: LG Inform metric 917 (S28), S1 change notes; methodology §1.2 and §8 rule 8.
 */
import { academicYearOf, academicYearStart, addDays, isAcademicYear } from './calendar.js';
import type { AcademicYear } from './calendar.js';

/**
 * How a mark counts in DfE statistics. `present` and `aea` (approved educational activity) are
 * attendance; `authorised` and `unauthorised` are absence; `not_counted` is neither.
 */
export type StatisticalCategory = 'present' | 'aea' | 'authorised' | 'unauthorised' | 'not_counted';

/** An inclusive window of mark dates, `YYYY-MM-DD`. */
export interface DateWindow {
  readonly from: string;
  readonly to: string;
}

/** One register code in one era of its meaning. */
export interface RegisterCode {
  /** The code as entered in the register: a token, possibly several characters (`C1`, `Y7`). */
  readonly code: string;
  /** What the code means, in the words of the regulations or guidance of its era. */
  readonly description: string;
  /** How it counts in DfE statistics. */
  readonly category: StatisticalCategory;
  /**
   * Whether the session counts in possible sessions. True for every attendance and absence code,
   * false for `not_counted` codes (methodology §8 rule 1) — except inside {@link covidPossible}.
   */
  readonly possibleSession: boolean;
  /** Whether DfE counts the session in `late_sessions` (`L` and `U`, methodology §1.1, S3). */
  readonly late: boolean;
  /**
   * Whether the mark records a session the school held while the pupil was on roll. False only
   * for `#` (planned closure), `Y4` (whole site unexpectedly closed, session cancelled) and `Z`
   * (not yet on roll). The statutory triggers count school days and school weeks with it (a
   * school week is any week with at least one school session, methodology §5.1).
   */
  readonly schoolSession: boolean;
  /** First academic year the code has this meaning. */
  readonly firstYear: AcademicYear;
  /** Last academic year the code has this meaning, or `null` while still in force. */
  readonly lastYear: AcademicYear | null;
  /**
   * Dates on which DfE statistics count this not-counted code in possible sessions (though
   * neither as attendance nor as absence): COVID-19 `X`, 1 September 2020 – 31 March 2022
   * (S28, S1; methodology §1.2 and §8 rule 8). Switched off by `covidXInPossible: false`.
   */
  readonly covidPossible: DateWindow | null;
  /**
   * The column in DfE's published daily-attendance files (S3) of the code's era, where there is
   * one (`reason_t_authorised_grt_absence` for the old `T`, `reason_t_authorised_mobile_child` for
   * the new). The 2024/25 files publish only the columns of possible-session codes plus `H` and `J`.
   */
  readonly dfeColumn: string | null;
  /** The mart column counting sessions with this code: {@link reasonColumn}. */
  readonly column: string;
  /** Where the meaning comes from (methodology source IDs). */
  readonly source: string;
}

/** Options that change how marks are counted. */
export interface CountingOptions {
  /**
   * Count COVID-19 `X` marks dated 1 September 2020 – 31 March 2022 in possible sessions, as DfE
   * statistics do (methodology §8 rule 8). Default `true`; `false` counts them nowhere, as the
   * census itself did.
   */
  readonly covidXInPossible?: boolean;
}

/** The earliest academic year the table models: D left possible sessions, and Y entered the census, in 2011/12 (S1). */
export const EARLIEST_ACADEMIC_YEAR: AcademicYear = '2011/12';
/** The first academic year of the 2024 code set (SI 2024/208 in force 19 August 2024). */
export const CODES_2024_FIRST_YEAR: AcademicYear = '2024/25';
/** The last academic year of the old code set. */
export const OLD_CODES_LAST_YEAR: AcademicYear = '2023/24';
/** Mark dates on which DfE statistics add COVID-19 `X` sessions to possible sessions (S28; methodology §1.2). */
export const COVID_X_WINDOW: DateWindow = { from: '2020-09-01', to: '2022-03-31' };

const SPECIAL_COLUMNS: Readonly<Record<string, string>> = {
  '/': 'reason_present_am',
  '\\': 'reason_present_pm',
  '#': 'reason_planned_closure',
};

/**
 * The mart column that counts sessions marked `code`: `reason_` and the lower-cased token
 * (`I` → `reason_i`, `C1` → `reason_c1`), with `/` → `reason_present_am`,
 * `\` → `reason_present_pm` and `#` → `reason_planned_closure` (docs/warehouse.md).
 * @throws RangeError for a token that is neither alphanumeric nor one of those three.
 */
export function reasonColumn(code: string): string {
  const special = SPECIAL_COLUMNS[code];
  if (special !== undefined) return special;
  if (!/^[A-Za-z0-9]+$/.test(code)) throw new RangeError(`No reason column for register code '${code}'`);
  return `reason_${code.toLowerCase()}`;
}

type Row = Omit<RegisterCode, 'column' | 'possibleSession' | 'late' | 'schoolSession' | 'covidPossible' | 'firstYear' | 'lastYear'> & {
  readonly firstYear?: AcademicYear;
  readonly lastYear?: AcademicYear | null;
  readonly late?: boolean;
  readonly schoolSession?: boolean;
  readonly covidPossible?: DateWindow | null;
};

const OLD = { firstYear: EARLIEST_ACADEMIC_YEAR, lastYear: OLD_CODES_LAST_YEAR } as const;
const NEW = { firstYear: CODES_2024_FIRST_YEAR, lastYear: null } as const;
const ALWAYS = { firstYear: EARLIEST_ACADEMIC_YEAR, lastYear: null } as const;

const ROWS: readonly Row[] = [
  // Attending the school (S4 reg 10 table 1; S3).
  { code: '/', ...ALWAYS, category: 'present', dfeColumn: 'reason_present_am', source: 'S4, S3',
    description: 'Present (morning session)' },
  { code: '\\', ...ALWAYS, category: 'present', dfeColumn: 'reason_present_pm', source: 'S4, S3',
    description: 'Present (afternoon session)' },
  { code: 'L', ...ALWAYS, category: 'present', late: true, source: 'S4, S6, S3',
    dfeColumn: 'reason_l_present_late_before_registers_closed',
    description: 'Late: arrived before the register closed' },
  // Attending a place other than the school: approved educational activity (S4; S3).
  { code: 'K', ...NEW, category: 'aea', dfeColumn: 'reason_k_aea_education_arranged_by_la', source: 'S4, S3',
    description: 'Attending education provision arranged by the local authority' },
  { code: 'V', ...ALWAYS, category: 'aea', dfeColumn: 'reason_v_aea_educational_visit_trip', source: 'S4, S3',
    description: 'Attending an educational visit or trip' },
  { code: 'P', ...ALWAYS, category: 'aea', dfeColumn: 'reason_p_aea_approved_sporting_activity', source: 'S4, S3',
    description: 'Participating in an approved sporting activity' },
  { code: 'W', ...ALWAYS, category: 'aea', dfeColumn: 'reason_w_aea_work_experience', source: 'S4, S3',
    description: 'Attending work experience' },
  { code: 'B', ...ALWAYS, category: 'aea', dfeColumn: 'reason_b_aea_education_off_site', source: 'S4, S1, S3',
    description: 'Attending any other approved educational activity (before 2024/25: educated off site)' },
  { code: 'J', ...OLD, category: 'aea', dfeColumn: 'reason_j_aea_interview', source: 'S1, S3, S7',
    description: 'Interview (before 2024/25, counted as approved educational activity; now J1, authorised absence)' },
  // Attending another school at which the pupil is registered: not a possible session (S1; S3 arithmetic).
  { code: 'D', ...ALWAYS, category: 'not_counted', dfeColumn: 'reason_d_dual_registration', source: 'S1, S3',
    description: 'Dual registered: attending another school at which the pupil is registered' },
  // Absent: leave of absence (S4 reg 11; S3).
  { code: 'C1', ...NEW, category: 'authorised', dfeColumn: 'reason_c1_authorised_regulated_performance', source: 'S4, S3',
    description: 'Leave of absence: regulated performance or regulated employment abroad' },
  { code: 'M', ...ALWAYS, category: 'authorised', dfeColumn: 'reason_m_authorised_medical_dental', source: 'S4, S3',
    description: 'Leave of absence: medical or dental appointment' },
  { code: 'J1', ...NEW, category: 'authorised', dfeColumn: 'reason_j1_authorised_interview', source: 'S4, S3',
    description: 'Leave of absence: interview for employment or admission to another educational institution' },
  { code: 'S', ...ALWAYS, category: 'authorised', dfeColumn: 'reason_s_authorised_study_leave', source: 'S4, S3',
    description: 'Leave of absence: study leave for a public examination' },
  { code: 'X', ...OLD, category: 'not_counted', dfeColumn: 'reason_x_not_attending_covid_non_compulsory', covidPossible: COVID_X_WINDOW,
    source: 'S1, S28, S3 (2023/24 files)',
    description: 'Not required to attend (non-compulsory school age); 2020/21 – March 2022 also not attending in circumstances related to coronavirus' },
  { code: 'X', ...NEW, category: 'not_counted', dfeColumn: null, source: 'S1, S4, S8',
    description: 'Non-compulsory school age pupil not required to attend' },
  { code: 'C2', ...NEW, category: 'authorised', dfeColumn: 'reason_c2_authorised_temp_reduced_timetable', source: 'S4, S3',
    description: 'Leave of absence: temporary reduced timetable (compulsory school age)' },
  { code: 'C', ...OLD, category: 'authorised', dfeColumn: 'reason_c_authorised_other', source: 'S1, S7',
    description: 'Other authorised circumstances, including performances and part-time timetables' },
  { code: 'C', ...NEW, category: 'authorised', dfeColumn: 'reason_c_authorised_other', source: 'S4, S3',
    description: 'Leave of absence for exceptional circumstances' },
  // Absent: other authorised reasons (S4; S3).
  { code: 'T', ...OLD, category: 'authorised', dfeColumn: 'reason_t_authorised_grt_absence', source: 'S1, S3 (2023/24 files)',
    description: 'Gypsy, Roma and Traveller absence (travelling)' },
  { code: 'T', ...NEW, category: 'authorised', dfeColumn: 'reason_t_authorised_mobile_child', source: 'S4, S3',
    description: 'Parent travelling for occupational purposes' },
  { code: 'R', ...ALWAYS, category: 'authorised', dfeColumn: 'reason_r_authorised_religious_observance', source: 'S4, S3',
    description: 'Religious observance' },
  { code: 'I', ...ALWAYS, category: 'authorised', dfeColumn: 'reason_i_authorised_illness', source: 'S4, S3',
    description: 'Illness (not medical or dental appointment)' },
  { code: 'E', ...ALWAYS, category: 'authorised', dfeColumn: 'reason_e_authorised_excluded', source: 'S4, S3',
    description: 'Suspended or permanently excluded, no alternative provision made' },
  { code: 'H', ...OLD, category: 'authorised', dfeColumn: 'reason_h_authorised_holiday', source: 'S1, S3, S7',
    description: 'Agreed family holiday' },
  // Extended holidays ended with the 2013 amendment regulations (from 1 September 2013); merged into H in statistics (S1).
  { code: 'F', firstYear: EARLIEST_ACADEMIC_YEAR, lastYear: '2012/13', category: 'authorised', dfeColumn: 'reason_f_legacy_family_holiday',
    source: 'S1, S3 (2023/24 files)',
    description: 'Agreed extended family holiday' },
  // Absent: unauthorised (S4; S3).
  { code: 'G', ...ALWAYS, category: 'unauthorised', dfeColumn: 'reason_g_unauthorised_holiday', source: 'S4, S3',
    description: 'Holiday not agreed by the school' },
  { code: 'N', ...ALWAYS, category: 'unauthorised', dfeColumn: 'reason_n_no_reason_yet', source: 'S4, S3',
    description: 'Reason for absence not yet established' },
  { code: 'O', ...ALWAYS, category: 'unauthorised', dfeColumn: 'reason_o_other_unauthorised', source: 'S4, S3',
    description: 'Absent in other or unknown circumstances' },
  { code: 'U', ...ALWAYS, category: 'unauthorised', late: true, source: 'S4, S3',
    dfeColumn: 'reason_u_unauthorised_late_after_registers_closed',
    description: 'Arrived after the register closed' },
  // Unable to attend / administrative: never possible sessions (S1; S3 arithmetic).
  { code: 'Q', ...NEW, category: 'not_counted', dfeColumn: 'reason_q_la_arrangements', source: 'S3, S7',
    description: 'Unable to attend: lack of access arrangements by the local authority' },
  { code: 'Y1', ...NEW, category: 'not_counted', dfeColumn: 'reason_y1_transport_not_provided', source: 'S4, S3',
    description: 'Unable to attend: transport normally provided not available' },
  { code: 'Y2', ...NEW, category: 'not_counted', dfeColumn: 'reason_y2_travel_disruption', source: 'S4, S3',
    description: 'Unable to attend: widespread disruption to travel' },
  { code: 'Y3', ...NEW, category: 'not_counted', dfeColumn: 'reason_y3_premises_out_of_use', source: 'S4, S3',
    description: 'Unable to attend: part of the school premises closed' },
  { code: 'Y4', ...NEW, category: 'not_counted', schoolSession: false, dfeColumn: 'reason_y4_closed_session_cancelled', source: 'S4, S3',
    description: 'Unable to attend: whole school site unexpectedly closed' },
  { code: 'Y5', ...NEW, category: 'not_counted', dfeColumn: 'reason_y5_detention_sentence', source: 'S4, S3',
    description: 'Unable to attend: in criminal justice detention' },
  { code: 'Y6', ...NEW, category: 'not_counted', dfeColumn: 'reason_y6_prohibited_infection_disease', source: 'S4, S3',
    description: 'Unable to attend: public health guidance or law' },
  { code: 'Y7', ...NEW, category: 'not_counted', dfeColumn: 'reason_y7_unavoidable_cause', source: 'S4, S3',
    description: 'Unable to attend: any other unavoidable cause' },
  { code: 'Y', ...OLD, category: 'not_counted', dfeColumn: 'reason_y_not_attending_enforced_closure', source: 'S1, S3 (2023/24 files)',
    description: 'Unable to attend due to exceptional circumstances' },
  { code: 'Z', ...ALWAYS, category: 'not_counted', schoolSession: false, dfeColumn: 'reason_z_not_attending_not_on_roll', source: 'S1, S3',
    description: 'Prospective pupil not on admission register' },
  { code: '#', ...ALWAYS, category: 'not_counted', schoolSession: false, dfeColumn: 'reason_not_attending_planned_closed', source: 'S3',
    description: 'Planned whole-school closure' },
];

/**
 * Every register code, current and historic, one row per code per era of meaning (`C`, `T` and
 * `X` changed meaning in 2024/25 and so have two rows each).
 */
export const REGISTER_CODES: readonly RegisterCode[] = Object.freeze(
  ROWS.map(
    (r): RegisterCode =>
      Object.freeze({
        code: r.code,
        description: r.description,
        category: r.category,
        possibleSession: r.category !== 'not_counted',
        late: r.late ?? false,
        schoolSession: r.schoolSession ?? true,
        firstYear: r.firstYear ?? EARLIEST_ACADEMIC_YEAR,
        lastYear: r.lastYear ?? null,
        covidPossible: r.covidPossible ?? null,
        dfeColumn: r.dfeColumn,
        column: reasonColumn(r.code),
        source: r.source,
      }),
  ),
);

/** The distinct code tokens, in table order: one mart `reason_*` column each. */
export const CODE_TOKENS: readonly string[] = Object.freeze([...new Set(REGISTER_CODES.map((c) => c.code))]);

function yearIndex(ay: AcademicYear): number {
  return Number(ay.slice(0, 4));
}

function inYears(row: RegisterCode, ay: AcademicYear): boolean {
  const y = yearIndex(ay);
  return y >= yearIndex(row.firstYear) && (row.lastYear === null || y <= yearIndex(row.lastYear));
}

/** The codes a register may use in academic year `ay` (one row per token). */
export function codesValidIn(academicYear: AcademicYear): RegisterCode[] {
  if (!isAcademicYear(academicYear)) throw new RangeError(`Expected an academic year written like 2024/25, got '${academicYear}'`);
  return REGISTER_CODES.filter((c) => inYears(c, academicYear));
}

/** Whether `code` is a register code in force in academic year `ay` (`J` until 2023/24, `J1` from 2024/25). */
export function isValidCode(code: string, academicYear: AcademicYear): boolean {
  if (!isAcademicYear(academicYear)) return false;
  return REGISTER_CODES.some((c) => c.code === code && inYears(c, academicYear));
}

/** The table row of `code` in force on mark date `date`, or `undefined` if the code was not in force then. */
export function registerCodeOn(code: string, date: string): RegisterCode | undefined {
  const ay = academicYearOf(date);
  return REGISTER_CODES.find((c) => c.code === code && inYears(c, ay));
}

/** How one mark counts. */
export interface MarkTreatment {
  readonly category: StatisticalCategory;
  readonly possible: boolean;
  readonly late: boolean;
}

/** Every token's eras, oldest first: built once from {@link REGISTER_CODES}. */
const ERAS_BY_CODE: ReadonlyMap<string, readonly RegisterCode[]> = new Map(
  CODE_TOKENS.map((code) => [
    code,
    Object.freeze(REGISTER_CODES.filter((c) => c.code === code).sort((a, b) => yearIndex(a.firstYear) - yearIndex(b.firstYear))),
  ]),
);
const NO_ERAS: readonly RegisterCode[] = Object.freeze([]);

/** The eras of `code`, oldest first (a fresh array: callers may change it). */
export function erasOf(code: string): RegisterCode[] {
  return [...(ERAS_BY_CODE.get(code) ?? NO_ERAS)];
}

/**
 * Start year of the academic year of each mark date seen: the same answer as
 * `academicYearOf(date)` without parsing the date again (register marks repeat a few hundred
 * dates a year). Bounded: cleared when full, so odd input cannot grow it without limit.
 */
const START_YEAR_OF_DATE = new Map<string, number>();
const START_YEAR_CACHE_MAX = 20_000;

function startYearOf(date: string): number {
  let y = START_YEAR_OF_DATE.get(date);
  if (y === undefined) {
    y = yearIndex(academicYearOf(date)); // throws RangeError for a date that is not YYYY-MM-DD
    if (START_YEAR_OF_DATE.size >= START_YEAR_CACHE_MAX) START_YEAR_OF_DATE.clear();
    START_YEAR_OF_DATE.set(date, y);
  }
  return y;
}

/**
 * The meaning of each known token by academic start year, filled on first use: the era rule of
 * {@link meaningOn} evaluated once per (code, year) instead of once per mark.
 */
const MEANING_BY_CODE_YEAR = new Map<string, Map<number, RegisterCode>>(CODE_TOKENS.map((code) => [code, new Map()]));

function nearestEra(eras: readonly RegisterCode[], y: number): RegisterCode {
  let row = eras[0]!;
  for (const era of eras) if (yearIndex(era.firstYear) <= y) row = era;
  return row;
}

/**
 * The row whose meaning a mark is read with: the era in force on its date, or — for a code used
 * outside its years — the nearest era (the last one before the date, or the first one if the
 * date is earlier than all of them). DfE's own 2024/25 figures do the same: `H` and `J` marks
 * entered after they were retired are still counted as authorised absence and approved
 * educational activity (their published columns are non-zero and add up into the totals, S3).
 */
export function meaningOn(code: string, date: string): RegisterCode | undefined {
  const byYear = MEANING_BY_CODE_YEAR.get(code);
  if (byYear === undefined) return undefined;
  const y = startYearOf(date);
  let row = byYear.get(y);
  if (row === undefined) byYear.set(y, (row = nearestEra(ERAS_BY_CODE.get(code)!, y)));
  return row;
}

/** Each row's treatment outside and inside its COVID window, shared and frozen (no object per mark). */
const TREATMENTS: ReadonlyMap<RegisterCode, readonly [MarkTreatment, MarkTreatment]> = new Map(
  REGISTER_CODES.map((row) => [
    row,
    [
      Object.freeze({ category: row.category, possible: row.possibleSession, late: row.late }),
      Object.freeze({ category: row.category, possible: true, late: row.late }),
    ] as const,
  ]),
);

/**
 * How a mark counts on its date, or `undefined` for a token that is not in the table (such a mark
 * counts in no measure). A code used outside its years (`H` in 2024/25, `J1` in 2023/24) is read
 * with the meaning of its nearest era — see {@link isValidCode} to report such marks.
 */
export function classifyMark(code: string, date: string, options: CountingOptions = {}): MarkTreatment | undefined {
  const row = meaningOn(code, date);
  if (row === undefined) return undefined;
  const covid =
    (options.covidXInPossible ?? true) &&
    row.covidPossible !== null &&
    date >= row.covidPossible.from &&
    date <= row.covidPossible.to;
  const [plain, inCovidWindow] = TREATMENTS.get(row)!;
  return covid ? inCovidWindow : plain;
}

/**
 * The dates at which the treatment of `code` can change, ascending: the first day of every era
 * but the oldest, and the edges of any COVID window. Before the first boundary, between two
 * consecutive boundaries and after the last, {@link classifyMark} is constant — `sql.ts` relies
 * on this to generate its date conditions.
 */
export function treatmentBoundaries(code: string): string[] {
  const dates = new Set<string>();
  erasOf(code).forEach((row, i) => {
    if (i > 0) dates.add(academicYearStart(row.firstYear));
    if (row.covidPossible !== null) {
      dates.add(row.covidPossible.from);
      dates.add(addDays(row.covidPossible.to, 1));
    }
  });
  return [...dates].sort();
}

/**
 * Every date on which some code's statistical treatment changes, sorted. Marks of one code on
 * either side of none of these dates count the same way, so marks may be pre-counted per
 * enrolment × code × side of each boundary before {@link sessionAggregatesSql} with a `weight`.
 */
export const TREATMENT_BOUNDARIES: readonly string[] = Object.freeze(
  [...new Set(CODE_TOKENS.flatMap((code) => treatmentBoundaries(code)))].sort(),
);
