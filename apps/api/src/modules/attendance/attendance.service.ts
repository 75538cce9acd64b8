import { Injectable } from '@nestjs/common';
import { ratePct } from '@rollbook/metrics';
import type { AccessScope } from '../access/access-scope.js';
import { AccessException, AccessExceptionCode, NOT_PERMITTED_MESSAGE } from '../access/access.exception.js';
import { NOTHING_WITHHELD, withheld, withheldWithParts, type Withheld } from '../access/suppression.js';
import { AttendanceException, AttendanceExceptionCode } from './attendance.exception.js';
import {
  AttendanceRepository,
  type PopulationTotals,
  type PublishedAreaRow,
  type SchoolTotals,
  type TotalsQuery,
} from './attendance.repository.js';
import type { LaOverview } from './models/la-overview.model.js';
import type { MetricScope } from './models/metric-scope.enum.js';
import type { PublishedAreaFigures, RegionOverview } from './models/region-overview.model.js';
import type { SchoolSummary } from './models/school-summary.model.js';

const ACADEMIC_YEAR = /^\d{4}\/\d{2}$/;

/** The published measure behind each rate of {@link Rates} (DfE file column names). */
const PUBLISHED_MEASURE: Record<keyof Rates, string> = {
  attendanceRate: 'attendance_perc',
  overallAbsenceRate: 'overall_absence_perc',
  authorisedAbsenceRate: 'authorised_absence_perc',
  unauthorisedAbsenceRate: 'unauthorised_absence_perc',
  persistentAbsenceRate: 'pa_perc',
  severeAbsenceRate: 'sa_perc',
};

interface Rates {
  attendanceRate: number | null;
  overallAbsenceRate: number | null;
  authorisedAbsenceRate: number | null;
  unauthorisedAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
  severeAbsenceRate: number | null;
}

/**
 * LA and school attendance figures: sums per enrolment first, persistent and severe absence on
 * each enrolment's own totals, then sum and divide (attendance-methodology.md §2, §8 rules 2–3).
 */
@Injectable()
export class AttendanceService {
  constructor(private readonly repository: AttendanceRepository) {}

  academicYears(): Promise<string[]> {
    return this.repository.academicYears();
  }

  /**
   * The LA's figures and each school's. Only the user's own LA; small numbers are withheld
   * unless the user may see every pupil behind a figure (LA-wide roles, a school's own users).
   */
  async laOverview(
    access: AccessScope,
    args: { academicYear?: string | null; scope: MetricScope; laCode?: string | null },
  ): Promise<LaOverview> {
    const requested = args.laCode ?? (access.user.laCode || null);
    if (requested !== null) access.requireLa(requested);
    const academicYear = await this.resolveYear(args.academicYear);
    const laCode = await this.resolveLa(academicYear, requested);
    access.requireLa(laCode);
    const query = totalsQuery(academicYear, args.scope);
    const [names, totals, schools] = await Promise.all([
      this.repository.laNames([laCode]),
      this.repository.laTotals([laCode], query),
      this.repository.schoolTotals({ laCode }, query),
    ]);
    const la = totals.byLa.get(laCode) ?? totals.pool;
    return {
      laCode,
      laName: names.get(laCode) ?? null,
      academicYear,
      scope: args.scope,
      ...populationFigures(la, access.coversLa(laCode) ? NOTHING_WITHHELD : withheld(la)),
      schools: schools.map((school) => toSchoolSummary(school, access.coversSchool(school.urn, school.laCode) ? NOTHING_WITHHELD : withheld(school))),
    };
  }

  /**
   * A regional user's LAs pooled, and each LA's own figures, from the same per-enrolment totals
   * as {@link laOverview} (`la-totals.sql`); DfE's published England and regional figures beside
   * them when loaded. Small numbers are withheld as for any figure whose pupils the user may not
   * see, and the pool withholds what would give a withheld LA away (ADR 0004).
   */
  async regionOverview(access: AccessScope, args: { academicYear?: string | null; scope: MetricScope }): Promise<RegionOverview> {
    if (!access.rule.regional) {
      throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, `${NOT_PERMITTED_MESSAGE} The regional overview is for regional partnership users.`);
    }
    const laCodes = [...access.laCodes];
    for (const laCode of laCodes) access.requireLa(laCode);
    const academicYear = await this.resolveYear(args.academicYear);
    const [names, totals, published] = await Promise.all([
      this.repository.laNames(laCodes),
      this.repository.laTotals(laCodes, totalsQuery(academicYear, args.scope)),
      this.repository.publishedAreas(laCodes, academicYear, Object.values(PUBLISHED_MEASURE)),
    ]);
    const parts = laCodes.map((laCode) => {
      const counts = totals.byLa.get(laCode) ?? EMPTY_TOTALS;
      return { laCode, counts, hide: access.coversLa(laCode) ? NOTHING_WITHHELD : withheld(counts) };
    });
    const poolHide = laCodes.every((laCode) => access.coversLa(laCode)) ? NOTHING_WITHHELD : withheldWithParts(totals.pool, parts);
    return {
      academicYear,
      scope: args.scope,
      laCodes,
      ...populationFigures(totals.pool, poolHide),
      las: parts.map((p) => ({
        laCode: p.laCode,
        laName: names.get(p.laCode) ?? null,
        loaded: totals.byLa.has(p.laCode),
        ...populationFigures(p.counts, p.hide),
      })),
      publishedAvailable: published.length > 0,
      published: publishedFigures(published),
    };
  }

  async school(access: AccessScope, args: { urn: number; academicYear?: string | null; scope: MetricScope }): Promise<SchoolSummary | null> {
    const academicYear = await this.resolveYear(args.academicYear);
    const [school] = await this.repository.schoolTotals({ urn: args.urn }, totalsQuery(academicYear, args.scope));
    if (!school) return null;
    // Another LA's school answers like a school with no data: it says nothing about other LAs.
    if (!access.seesLa(school.laCode)) return null;
    return toSchoolSummary(school, access.coversSchool(school.urn, school.laCode) ? NOTHING_WITHHELD : withheld(school));
  }

  /** The year asked for, checked, or the newest loaded. */
  private async resolveYear(requested: string | null | undefined): Promise<string> {
    if (requested !== undefined && requested !== null && !ACADEMIC_YEAR.test(requested)) {
      throw new AttendanceException(
        AttendanceExceptionCode.ACADEMIC_YEAR_INVALID,
        `Academic year must be written like 2024/25, not "${requested.slice(0, 20)}".`,
      );
    }
    const years = await this.repository.academicYears();
    if (years.length === 0) {
      throw new AttendanceException(AttendanceExceptionCode.NO_DATA_LOADED, 'No attendance data has been loaded yet.');
    }
    if (requested === undefined || requested === null) return years[0]!;
    if (!years.includes(requested)) {
      throw new AttendanceException(
        AttendanceExceptionCode.ACADEMIC_YEAR_NOT_LOADED,
        `No attendance data is loaded for ${requested}. Loaded years: ${years.join(', ')}.`,
      );
    }
    return requested;
  }

  /** The LA asked for, or the only one with data in the year. */
  private async resolveLa(academicYear: string, requested: string | null | undefined): Promise<string> {
    const codes = await this.repository.laCodes(academicYear);
    if (requested !== undefined && requested !== null) {
      if (codes.includes(requested)) return requested;
      throw new AttendanceException(
        AttendanceExceptionCode.LA_NOT_LOADED,
        `No attendance data is loaded for local authority ${requested.slice(0, 10)} in ${academicYear}.`,
      );
    }
    if (codes.length === 1) return codes[0]!;
    if (codes.length === 0) {
      throw new AttendanceException(AttendanceExceptionCode.NO_DATA_LOADED, `No attendance data has been loaded for ${academicYear}.`);
    }
    throw new AttendanceException(
      AttendanceExceptionCode.LA_AMBIGUOUS,
      `Data for several local authorities is loaded (${codes.join(', ')}): say which with laCode.`,
    );
  }
}

function totalsQuery(academicYear: string, scope: MetricScope): TotalsQuery {
  return { academicYear, scope };
}

const EMPTY_TOTALS: PopulationTotals = {
  enrolments: 0,
  possibleSessions: 0,
  presentSessions: 0,
  approvedEducationalActivity: 0,
  authorisedAbsence: 0,
  unauthorisedAbsence: 0,
  overallAbsence: 0,
  persistentAbsentees: 0,
  severeAbsentees: 0,
};

/** A population's figures (an LA, a pool of LAs), with what the user may not see withheld. */
function populationFigures(totals: PopulationTotals, hide: Withheld) {
  const r = rates(totals);
  return {
    suppressed: hide.all || hide.persistent || hide.severe,
    enrolments: hide.all ? null : totals.enrolments,
    possibleSessions: hide.all ? null : totals.possibleSessions,
    attendanceRate: hide.all ? null : r.attendanceRate,
    overallAbsenceRate: hide.all ? null : r.overallAbsenceRate,
    authorisedAbsenceRate: hide.all ? null : r.authorisedAbsenceRate,
    unauthorisedAbsenceRate: hide.all ? null : r.unauthorisedAbsenceRate,
    persistentAbsenceRate: hide.persistent ? null : r.persistentAbsenceRate,
    severeAbsenceRate: hide.severe ? null : r.severeAbsenceRate,
    persistentAbsentees: hide.persistent ? null : totals.persistentAbsentees,
    severeAbsentees: hide.severe ? null : totals.severeAbsentees,
  };
}

/** Published rows (area × measure) as one set of rates per area, in the order given. */
function publishedFigures(rows: readonly PublishedAreaRow[]): PublishedAreaFigures[] {
  const areas = new Map<string, PublishedAreaFigures>();
  for (const row of rows) {
    const key = `${row.level}|${row.areaCode ?? ''}`;
    let area = areas.get(key);
    if (!area) {
      area = {
        level: row.level, areaCode: row.areaCode, areaName: row.areaName,
        attendanceRate: null, overallAbsenceRate: null, authorisedAbsenceRate: null,
        unauthorisedAbsenceRate: null, persistentAbsenceRate: null, severeAbsenceRate: null,
      };
      areas.set(key, area);
    }
    for (const [field, measure] of Object.entries(PUBLISHED_MEASURE) as Array<[keyof Rates, string]>) {
      if (measure === row.measure) area[field] = row.value;
    }
  }
  return [...areas.values()];
}

function rates(t: PopulationTotals): Rates {
  return {
    attendanceRate: ratePct(t.presentSessions + t.approvedEducationalActivity, t.possibleSessions),
    overallAbsenceRate: ratePct(t.overallAbsence, t.possibleSessions),
    authorisedAbsenceRate: ratePct(t.authorisedAbsence, t.possibleSessions),
    unauthorisedAbsenceRate: ratePct(t.unauthorisedAbsence, t.possibleSessions),
    persistentAbsenceRate: ratePct(t.persistentAbsentees, t.enrolments),
    severeAbsenceRate: ratePct(t.severeAbsentees, t.enrolments),
  };
}

/**
 * A school row always has at least one enrolment with possible sessions, so no rate is null
 * unless it is withheld (small numbers, see `suppression.ts`).
 */
function toSchoolSummary(school: SchoolTotals, hide: Withheld): SchoolSummary {
  const r = rates(school);
  const shown = (value: number | null, withhold: boolean): number | null => (withhold ? null : (value ?? 0));
  return {
    urn: school.urn,
    name: school.name,
    phase: school.phase,
    suppressed: hide.all || hide.persistent || hide.severe,
    enrolments: hide.all ? null : school.enrolments,
    possibleSessions: hide.all ? null : school.possibleSessions,
    attendanceRate: shown(r.attendanceRate, hide.all),
    overallAbsenceRate: shown(r.overallAbsenceRate, hide.all),
    authorisedAbsenceRate: shown(r.authorisedAbsenceRate, hide.all),
    unauthorisedAbsenceRate: shown(r.unauthorisedAbsenceRate, hide.all),
    persistentAbsenceRate: shown(r.persistentAbsenceRate, hide.persistent),
    severeAbsenceRate: shown(r.severeAbsenceRate, hide.severe),
  };
}
