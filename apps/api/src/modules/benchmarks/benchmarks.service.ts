import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { codesValidIn, MIN_COMPARATORS, positionInGroup, PUBLISHED_MEASURES, rankWhereToHelpFirst, ratePct, reasonColumn, similarSchools, type AcademicYear, type GapToEngland } from '@rollbook/metrics';
import type { LaComparatorRow, PublishedComparatorRow, SubmissionRecord } from '@rollbook/etl';
import type { AccessScope } from '../access/access-scope.js';
import { AccessException, AccessExceptionCode } from '../access/access.exception.js';
import { isSmallCount, NOTHING_WITHHELD, withheld, type Withheld } from '../access/suppression.js';
import { AttendanceException, AttendanceExceptionCode } from '../attendance/attendance.exception.js';
import { LoadEvents } from '../../warehouse/load-events.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import { BenchmarksRepository, type CohortRow, type SchoolCounts } from './benchmarks.repository.js';
import type {
  AbsenceBand,
  CohortFigure,
  ComparatorFigure,
  HeatCell,
  HelpFirstSchool,
  LaBenchmarks,
  ReasonFigure,
  SchoolBenchmarks,
  SimilarSchools,
  TrendPoint,
  Trends,
} from './models/benchmarks.model.js';

const ACADEMIC_YEAR = /^\d{4}\/\d{2}$/;
/** How DfE's files name each term's period (`time_identifier`). */
const TERM_PERIODS: Record<string, string> = { autumn: 'Autumn term', spring: 'Spring term', summer: 'Summer term' };

/** A group's figures for a term, by the benchmark measures (DfE scope, sum then divide); null when withheld or unknown. */
export interface TermFigures {
  enrolments: number | null;
  /** Overall absence ÷ possible sessions × 100. */
  overallAbsenceRate: number | null;
  /** Enrolments with ≥ 10 % of their term's sessions missed ÷ enrolments × 100. */
  persistentAbsenceRate: number | null;
  /** Enrolments with ≥ 50 % missed ÷ enrolments × 100. */
  severeAbsenceRate: number | null;
}

/** A school's term against its similar schools, its LA and England, each saying where it comes from. */
export interface SchoolTermComparison {
  school: TermFigures & { name: string | null };
  /** Pooled over the similar schools with a return this term; null when they cannot be chosen. */
  similar: (TermFigures & { chosen: number; withReturns: number; phase: string; smallGroup: boolean; description: string }) | null;
  /** Why there is no similar-schools figure (no school list loaded, the school not on it). */
  similarUnavailable: string | null;
  la: TermFigures;
  /** DfE's published figures for England (severe absence is not published). */
  england: (TermFigures & { period: string; phase: string; description: string }) | null;
  englandUnavailable: string | null;
}

/** What every school of an LA shares for one term's comparisons: read once, for many schools. */
export interface TermComparisonContext {
  laCode: string;
  academicYear: string;
  term: string;
  counts: Map<number, SchoolCounts>;
  characteristics: Awaited<ReturnType<BenchmarksRepository['characteristics']>>;
  england: { period: string; rows: { phase: string; measure: string; value: number | null }[] };
}
const LABELS = new Map(PUBLISHED_MEASURES.map((m) => [m.name, m.label]));
const TERMS = ['autumn', 'spring', 'summer'] as const;
export const ABSENCE_BANDS = ['Under 5%', '5% to under 10%', '10% to under 20%', '20% to under 50%', '50% or more'] as const;

/** `2024/25` → `2023/24`. */
export function previousAcademicYear(year: string): string {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** `202425` → `2024/25`. */
function yearOfPeriod(timePeriod: string): string {
  return `${timePeriod.slice(0, 4)}/${timePeriod.slice(4, 6)}`;
}

function gap(g: GapToEngland | null): { gapToEnglandPp: number | null; gapToEnglandDays: number | null } {
  return { gapToEnglandPp: g?.pp ?? null, gapToEnglandDays: g?.daysPerPupil ?? null };
}

function fromPublished(r: PublishedComparatorRow): ComparatorFigure {
  return {
    phase: r.phase,
    measure: r.measure,
    label: LABELS.get(r.measure) ?? r.measure,
    value: r.value,
    snAverage: r.snAverage,
    snRank: r.snRank,
    snRankOutOf: r.snRankOutOf,
    regionValue: r.regionValue,
    englandValue: r.englandValue,
    ...gap(r.gapToEngland),
    neighbours: r.neighbours,
  };
}

function fromReturns(r: LaComparatorRow): ComparatorFigure {
  const ranked = r.neighbours.filter((n) => n.value !== null && Number.isFinite(n.value)).length;
  return {
    phase: r.phase,
    measure: r.measure,
    label: r.label,
    value: r.value,
    snAverage: r.snAverage,
    snRank: r.snRank,
    snRankOutOf: r.snRank === null ? null : ranked + 1,
    regionValue: r.regionValue,
    englandValue: r.englandValue,
    ...gap(r.gapToEngland),
    neighbours: r.neighbours,
  };
}

/**
 * Benchmarks for LA leaders and schools (issue 6, docs/benchmarks.md), through the access scope:
 * only the user's own LA; school users only their own school's page; figures of groups the user
 * may not see every pupil of are withheld when they rest on 1–4 pupils.
 */
/** Cohort names in reading order ("Year 2" before "Year 10"); one collator, not one per comparison (a hot spot under load). */
const COHORT_ORDER = new Intl.Collator('en-GB', { numeric: true });

@Injectable()
export class BenchmarksService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly logger = new Logger('Benchmarks');
  private readonly warmQueue = new Set<string>();
  private warming: Promise<void> | null = null;
  private starting: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly repository: BenchmarksRepository,
    private readonly warehouse: WarehouseService,
    private readonly events: LoadEvents,
  ) {}

  /** After each load, the pages of every LA it touched are worked out in the background (see {@link warmAfterLoad}). */
  onModuleInit(): void {
    this.events.onLoaded('benchmarks warm-up', (records) => {
      this.warmAfterLoad(records);
      return Promise.resolve();
    });
  }

  /** On start, every LA with returns is warmed too (the cache starts empty), in the background. */
  onApplicationBootstrap(): void {
    this.starting = this.repository
      .loadedLas()
      .then((laCodes) => this.enqueueWarm(laCodes))
      .catch((error: Error) => BenchmarksService.logger.error(`Could not list the LAs to warm: ${error.message}`));
  }

  /** Stops warming after the school in hand, and waits for it (the warehouse closes next). */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.warmQueue.clear();
    await this.warmedUp();
  }

  /** Queues the LAs whose returns just loaded for {@link warm} and returns at once (never awaited by the loader). */
  warmAfterLoad(records: readonly SubmissionRecord[]): void {
    this.enqueueWarm(records.flatMap((r) => (r.status === 'loaded' && r.laCode ? [r.laCode] : [])));
  }

  private enqueueWarm(laCodes: readonly string[]): void {
    for (const la of laCodes) this.warmQueue.add(la);
    if (this.warmQueue.size > 0 && this.warming === null && !this.closing) {
      this.warming = this.drainWarmQueue().finally(() => (this.warming = null));
    }
  }

  /** Resolves when no warm-up is queued or running (tests, shutdown). */
  async warmedUp(): Promise<void> {
    await this.starting;
    while (this.warming) await this.warming;
  }

  private async drainWarmQueue(): Promise<void> {
    while (this.warmQueue.size > 0 && !this.closing) {
      const laCode = this.warmQueue.values().next().value as string;
      this.warmQueue.delete(laCode);
      try {
        const { academicYear, schools, ms } = await this.warm(laCode);
        if (academicYear !== null) BenchmarksService.logger.log(`Warmed the benchmarks of LA ${laCode} for ${academicYear}: ${schools} school pages in ${ms} ms`);
      } catch (error) {
        BenchmarksService.logger.error(`Warming the benchmarks of LA ${laCode} failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Works out, into the warehouse's cache, the user-independent figures of an LA's pages for its
   * newest academic year: the LA benchmarks (published and from its returns), where to help first,
   * trends and cohorts, then each school's page, one school at a time, yielding to requests
   * between schools (each step waits its turn in the warehouse's pool like any request).
   */
  async warm(laCode: string): Promise<{ academicYear: string | null; schools: number; ms: number }> {
    const started = performance.now();
    const years = await this.repository.academicYears(laCode);
    const academicYear = years[0] ?? null;
    if (academicYear === null) return { academicYear, schools: 0, ms: Math.round(performance.now() - started) };
    await this.repository.published(laCode, academicYear.replace('/', ''));
    await this.repository.fromReturns(laCode, academicYear as AcademicYear);
    await this.helpFirstRanking(laCode, academicYear);
    await this.trends(laCode, academicYear, null);
    await this.repository.cohorts(laCode, academicYear, null);
    const urns = [...(await this.repository.schoolCounts(laCode, academicYear)).keys()].sort((a, b) => a - b);
    let schools = 0;
    for (const urn of urns) {
      if (this.closing) break;
      await yieldToRequests();
      await this.repository.school(urn);
      await this.schoolFigures(urn, laCode, academicYear, 'la');
      schools++;
    }
    return { academicYear, schools, ms: Math.round(performance.now() - started) };
  }

  async laBenchmarks(access: AccessScope, args: { academicYear?: string | null; laCode?: string | null }): Promise<LaBenchmarks> {
    const laCode = args.laCode ?? access.user.laCode;
    access.requireLa(laCode);
    checkYear(args.academicYear);
    const years = await this.repository.academicYears(laCode);
    let academicYear = args.academicYear ?? years[0] ?? null;
    const allPublished = await this.repository.published(laCode, academicYear === null ? null : academicYear.replace('/', ''));
    if (academicYear === null) {
      const newest = allPublished.map((r) => r.timePeriod).sort().at(-1);
      if (newest === undefined) throw new AttendanceException(AttendanceExceptionCode.NO_DATA_LOADED, 'No attendance data or DfE statistics have been loaded yet.');
      academicYear = yearOfPeriod(newest);
    }
    const published = allPublished.filter((r) => r.academicYear === academicYear || yearOfPeriod(r.timePeriod) === academicYear);
    return {
      laCode,
      laName: published[0]?.laName ?? null,
      academicYear,
      publishedAvailable: published.length > 0,
      published: published.map(fromPublished),
    };
  }

  /** The LA's own figures from its returns against the published comparators (read from the marks: only when asked for). */
  async fromReturns(parent: LaBenchmarks): Promise<ComparatorFigure[]> {
    const years = await this.repository.academicYears(parent.laCode);
    if (!years.includes(parent.academicYear)) return [];
    return (await this.repository.fromReturns(parent.laCode, parent.academicYear as AcademicYear)).map(fromReturns);
  }

  async whereToHelpFirst(access: AccessScope, args: { academicYear?: string | null }): Promise<HelpFirstSchool[]> {
    const laCode = access.user.laCode;
    const academicYear = await this.resolveYear(laCode, args.academicYear);
    const { counts, rows } = await this.helpFirstRanking(laCode, academicYear);
    return rows.map((r) => {
      const hide = this.hide(access, r.urn, laCode, counts.get(r.urn));
      return {
        rank: r.rank,
        urn: r.urn,
        name: r.name,
        score: r.score,
        persistentAbsenceRate: hide.persistent ? null : r.paPerc,
        severeAbsenceRate: hide.severe ? null : r.saPerc,
        persistentAbsenceChangePp: hide.persistent ? null : r.paChangePp,
        persistentAbsentees: hide.persistent ? null : r.persistentAbsentees,
        severeAbsentees: hide.severe ? null : r.severeAbsentees,
        // Reasons quote the school's figures: withheld with them.
        reasons: hide.persistent || hide.severe ? ['Figures withheld: they rest on fewer than 5 pupils.'] : r.reasons,
      };
    });
  }

  /** The LA's schools ranked for support, for every user alike (remembered until the next load; suppression is applied by the caller). */
  private helpFirstRanking(laCode: string, academicYear: string): Promise<{ counts: Map<number, SchoolCounts>; rows: ReturnType<typeof rankWhereToHelpFirst> }> {
    return this.warehouse.remember(`benchmarks:helpFirst|${laCode}|${academicYear}`, async () => {
      const [counts, before] = await Promise.all([
        this.repository.schoolCounts(laCode, academicYear),
        this.repository.schoolCounts(laCode, previousAcademicYear(academicYear)),
      ]);
      // The rule is @rollbook/metrics' (docs/benchmarks.md); the counts are the marts' DfE-scope
      // per-enrolment totals, the same as laOverview's.
      const profiles = [...counts].map(([urn, c]) => {
        const b = before.get(urn);
        return { urn, name: c.name ?? String(urn), enrolments: c.enrolments, persistentAbsentees: c.persistentAbsentees, severeAbsentees: c.severeAbsentees, previousPaPerc: b ? ratePct(b.persistentAbsentees, b.enrolments) : null };
      });
      const total = (key: 'enrolments' | 'persistentAbsentees') => profiles.reduce((sum, p) => sum + p[key], 0);
      return { counts, rows: rankWhereToHelpFirst(profiles, ratePct(total('persistentAbsentees'), total('enrolments'))) };
    });
  }

  async laTrends(access: AccessScope, args: { academicYear?: string | null }): Promise<Trends> {
    const laCode = access.user.laCode;
    const academicYear = await this.resolveYear(laCode, args.academicYear);
    return this.trends(laCode, academicYear, null);
  }

  async laCohorts(access: AccessScope, args: { academicYear?: string | null }): Promise<CohortFigure[]> {
    const laCode = access.user.laCode;
    const academicYear = await this.resolveYear(laCode, args.academicYear);
    return this.cohorts(await this.repository.cohorts(laCode, academicYear, null), access.coversLa(laCode));
  }

  async schoolBenchmarks(
    access: AccessScope,
    args: { urn: number; academicYear?: string | null; within: 'la' | 'national' },
  ): Promise<SchoolBenchmarks | null> {
    const school = await this.repository.school(args.urn);
    // A school of an LA the user may not see answers like a school with no data: it says nothing
    // about other LAs. (A regional user sees the schools of each of their LAs.)
    if (!school || !access.seesLa(school.laCode)) return null;
    if (access.rule.ownSchool && access.wholeLa === null && !access.urns.includes(args.urn)) {
      throw new AccessException(AccessExceptionCode.OUT_OF_SCOPE, 'You can only see figures for your own school.');
    }
    const laCode = school.laCode;
    const academicYear = await this.resolveYear(laCode, args.academicYear);
    const covered = access.coversSchool(args.urn, laCode);
    // The same figures for every user (remembered until the next load); this user's suppression after.
    const { counts, similarGroup, cohortRows, bands, reasons, heat, trends } = await this.schoolFigures(args.urn, laCode, academicYear, args.within);
    const cohorts = this.cohorts(cohortRows, covered);
    const own = counts.get(args.urn);
    const hideOwn = this.hide(access, args.urn, laCode, own);
    const byBand = new Map(bands.map((b) => [Number(b.band), Number(b.enrolments)]));
    const absenceBands: AbsenceBand[] = ABSENCE_BANDS.map((band, i) => {
      const n = byBand.get(i + 1) ?? 0;
      return { band, enrolments: hideOwn.all || (!covered && isSmallCount(n)) ? null : n };
    });
    const possible = Number(reasons[0]?.possible ?? 0);
    // Absence codes of the year (authorised or unauthorised), by their reason column.
    const absenceCodes = new Map(
      codesValidIn(academicYear as AcademicYear)
        .filter((c) => c.category === 'authorised' || c.category === 'unauthorised')
        .map((c) => [reasonColumn(c.code), c]),
    );
    const reasonFigures: ReasonFigure[] = hideOwn.all
      ? []
      : reasons
          .flatMap((r) => {
            const code = absenceCodes.get(String(r.code));
            const sessions = Number(r.sessions ?? 0);
            return code && sessions > 0 ? [{ code: code.code, description: code.description, authorised: code.category === 'authorised', sessions, rate: ratePct(sessions, possible) ?? 0 }] : [];
          })
          .sort((a, b) => b.sessions - a.sessions || a.code.localeCompare(b.code));
    const weekdaySession: HeatCell[] = heat.map((h) => ({
      weekday: Number(h.weekday),
      session: String(h.session),
      absenceRate: hideOwn.all ? null : ratePct(Number(h.overall_absence), Number(h.possible_sessions)),
    }));
    return {
      urn: args.urn,
      name: school.name,
      academicYear,
      absenceBands,
      similarSchools: similarGroup === null ? null : this.similar(access, laCode, args.urn, similarGroup, counts),
      cohorts,
      reasons: reasonFigures,
      weekdaySession,
      trends: hideOwn.all ? { ...trends, termly: [], weekly: [] } : trends,
    };
  }

  /**
   * A school page's figures before any suppression, the same for every user: remembered by the
   * warehouse until the next load, keyed by everything they depend on (URN, its LA, year, and
   * whether similar schools are chosen within the LA or nationally).
   */
  private schoolFigures(urn: number, laCode: string, academicYear: string, within: 'la' | 'national'): Promise<SchoolFigures> {
    return this.warehouse.remember(`benchmarks:school|${urn}|${laCode}|${academicYear}|${within}`, async () => {
      const [counts, characteristics, cohortRows, bands, reasons, heat, trends] = await Promise.all([
        this.repository.schoolCounts(laCode, academicYear),
        this.repository.characteristics(academicYear as AcademicYear),
        this.repository.cohorts(laCode, academicYear, urn),
        this.repository.absenceBands(urn, academicYear),
        this.repository.reasons(urn, academicYear),
        this.repository.weekdaySession(laCode, academicYear, urn),
        this.trends(laCode, academicYear, urn),
      ]);
      return { counts, similarGroup: characteristics === null ? null : similarGroupOf(urn, within, characteristics), cohortRows, bands, reasons, heat, trends };
    });
  }

  /** The figures shared by every school of the LA for a term's comparisons (see {@link schoolTermComparison}). */
  async termComparisonContext(laCode: string, academicYear: string, term: string): Promise<TermComparisonContext> {
    checkYear(academicYear);
    const timePeriod = academicYear.replace('/', '');
    const [counts, characteristics, termRows] = await Promise.all([
      this.repository.schoolTermCounts(laCode, academicYear, term),
      this.repository.characteristics(academicYear as AcademicYear),
      this.repository.publishedEngland(timePeriod, TERM_PERIODS[term] ?? 'Academic year'),
    ]);
    const england = termRows.length > 0
      ? { period: `${TERM_PERIODS[term]!.toLowerCase()} ${academicYear}`, rows: termRows }
      : { period: `${academicYear} (whole year: DfE's figures for the ${term} term are not loaded)`, rows: await this.repository.publishedEngland(timePeriod, 'Academic year') };
    return { laCode, academicYear, term, counts, characteristics, england };
  }

  /**
   * A school's term against its similar schools (chosen as on the school page: the nearest of the
   * same phase in the LA, docs/benchmarks.md), its LA and England (DfE's published statistics),
   * by the measures of the school page. Figures of groups the user may not see every pupil of
   * are withheld when they rest on 1–4 pupils.
   */
  schoolTermComparison(access: AccessScope, urn: number, ctx: TermComparisonContext): SchoolTermComparison {
    const { laCode, counts } = ctx;
    const figures = (c: SchoolCounts | undefined, hide: Withheld): TermFigures => ({
      enrolments: c && !hide.all ? c.enrolments : null,
      overallAbsenceRate: c && !hide.all ? ratePct(c.overallAbsence, c.possibleSessions) : null,
      persistentAbsenceRate: c && !hide.persistent ? ratePct(c.persistentAbsentees, c.enrolments) : null,
      severeAbsenceRate: c && !hide.severe ? ratePct(c.severeAbsentees, c.enrolments) : null,
    });
    const pooled = (list: SchoolCounts[]): SchoolCounts | undefined =>
      list.length === 0
        ? undefined
        : list.reduce((a, c) => ({
            name: null,
            enrolments: a.enrolments + c.enrolments,
            possibleSessions: a.possibleSessions + c.possibleSessions,
            overallAbsence: a.overallAbsence + c.overallAbsence,
            persistentAbsentees: a.persistentAbsentees + c.persistentAbsentees,
            severeAbsentees: a.severeAbsentees + c.severeAbsentees,
          }));
    const groupHide = (c: SchoolCounts | undefined) => (access.coversLa(laCode) || !c ? NOTHING_WITHHELD : withheld(c));
    const own = counts.get(urn);
    const la = pooled([...counts.values()]);

    const all = ctx.characteristics;
    const school = all?.find((s) => s.urn === urn) ?? null;
    // As on the school page (similar(), within the LA): the same phase, the distance of docs/benchmarks.md.
    const chosen = school && all ? similarSchools(school, all.filter((s) => s.laCode === school.laCode)) : [];
    let similar: SchoolTermComparison['similar'] = null;
    let similarUnavailable: string | null = null;
    if (all === null) similarUnavailable = 'No school list is loaded, so similar schools cannot be chosen.';
    else if (school === null) similarUnavailable = 'This school is not on the loaded school list, so similar schools cannot be chosen.';
    else if (chosen.length === 0) similarUnavailable = `No other ${school.phase.toLowerCase()} school of the LA is on the school list to compare with.`;
    else {
      const withReturns = chosen.flatMap((c) => (counts.has(c.urn) ? [counts.get(c.urn)!] : []));
      const group = pooled(withReturns);
      similar = {
        ...figures(group, groupHide(group)),
        chosen: chosen.length,
        withReturns: withReturns.length,
        phase: school.phase,
        smallGroup: chosen.length < MIN_COMPARATORS,
        description:
          `The ${chosen.length} ${school.phase.toLowerCase()} schools of the LA nearest to this one by pupils on roll, free school meals, EHC plans and English as an additional language` +
          ` (as on the school page); ${withReturns.length} of them have a return this term, and their figures are pooled.` +
          (chosen.length < MIN_COMPARATORS ? ` A small group: fewer than ${MIN_COMPARATORS}.` : ''),
      };
    }

    let england: SchoolTermComparison['england'] = null;
    let englandUnavailable: string | null = null;
    if (ctx.england.rows.length === 0) {
      englandUnavailable = "DfE's published attendance statistics are not loaded, so there is no England figure: load them with `rollbook load` (see Benchmarks).";
    } else {
      const phases = new Set(ctx.england.rows.map((r) => r.phase));
      const wanted = school?.phase ?? null;
      const phase = [...phases].find((p) => wanted !== null && (p.toLowerCase() === wanted.toLowerCase() || p.toLowerCase() === `state-funded ${wanted.toLowerCase()}`))
        ?? [...phases].find((p) => p.toLowerCase() === 'total' || p.toLowerCase() === 'state-funded total')
        ?? null;
      const value = (measure: string) => ctx.england.rows.find((r) => r.phase === phase && r.measure === measure)?.value ?? null;
      if (phase === null) englandUnavailable = `DfE's loaded statistics have no England figure for ${wanted ?? 'this school'}'s phase.`;
      else {
        england = {
          enrolments: null,
          overallAbsenceRate: value('overall_absence_perc') ?? value('sess_overall_percent'),
          persistentAbsenceRate: value('pa_perc') ?? value('enrolments_pa_10_exact_percent'),
          severeAbsenceRate: null,
          period: ctx.england.period,
          phase,
          description: `DfE's published figures for England, ${phase.toLowerCase() === 'total' ? 'all state-funded schools' : `${phase.toLowerCase()} schools`}, ${ctx.england.period}. DfE does not publish severe absence in these files.`,
        };
      }
    }
    return {
      school: { name: own?.name ?? school?.name ?? null, ...figures(own, this.hide(access, urn, laCode, own)) },
      similar,
      similarUnavailable,
      la: figures(la, groupHide(la)),
      england,
      englandUnavailable,
    };
  }

  /**
   * The school's most similar schools by the distance of docs/benchmarks.md (`similarSchools` in
   * @rollbook/metrics, as `similarSchoolsFor` in @rollbook/etl) and where it sits among them, with
   * the figures of the marts (DfE scope, as laOverview); schools outside the LA have none.
   */
  private similar(access: AccessScope, laCode: string, urn: number, group: SimilarGroup, counts: Map<number, SchoolCounts>): SimilarSchools | null {
    if (group.school === null) return null;
    const { school, within, chosen } = group;
    const figures = (u: number) => {
      const c = counts.get(u);
      const hide = this.hide(access, u, laCode, c);
      return {
        overall: c && !hide.all ? ratePct(c.overallAbsence, c.possibleSessions) : null,
        persistent: c && !hide.persistent ? ratePct(c.persistentAbsentees, c.enrolments) : null,
      };
    };
    const comparators = chosen.map((c) => ({
      urn: c.urn,
      name: c.name,
      rank: c.rank,
      distance: c.distance,
      overallAbsenceRate: figures(c.urn).overall,
      persistentAbsenceRate: figures(c.urn).persistent,
    }));
    const own = figures(urn);
    return {
      urn,
      name: school.name,
      phase: school.phase,
      pupils: school.pupils,
      fsmPct: school.fsmPct,
      senPct: school.senPct,
      ealPct: school.ealPct,
      within,
      smallGroup: comparators.length < MIN_COMPARATORS,
      overallAbsence: positionInGroup(own.overall, comparators.map((c) => c.overallAbsenceRate)),
      persistentAbsence: positionInGroup(own.persistent, comparators.map((c) => c.persistentAbsenceRate)),
      comparators,
    };
  }

  private hide(access: AccessScope, urn: number, laCode: string, counts: SchoolCounts | undefined): Withheld {
    if (access.coversSchool(urn, laCode)) return NOTHING_WITHHELD;
    return withheld(counts ?? { enrolments: 0, persistentAbsentees: 0, severeAbsentees: 0 });
  }

  private cohorts(rows: readonly CohortRow[], covered: boolean): CohortFigure[] {
    const all = rows.find((r) => r.dimension === 'all');
    const allRate = all ? num(all.overall_absence_perc) : null;
    const order = ['all', 'fsm', 'sen', 'social_care', 'sex', 'ethnicity', 'year_group'];
    return [...rows]
      .map((r) => {
        const hide = covered ? NOTHING_WITHHELD : withheld({ enrolments: Number(r.enrolments), persistentAbsentees: Number(r.persistent_absentees), severeAbsentees: Number(r.severe_absentees) });
        const overall = hide.all ? null : num(r.overall_absence_perc);
        return {
          dimension: r.dimension,
          cohort: r.cohort,
          suppressed: hide.all || hide.persistent || hide.severe,
          enrolments: hide.all ? null : Number(r.enrolments),
          overallAbsenceRate: overall,
          persistentAbsenceRate: hide.persistent ? null : num(r.pa_perc),
          severeAbsenceRate: hide.severe ? null : num(r.sa_perc),
          gapPp: overall === null || allRate === null ? null : overall - allRate,
        };
      })
      .sort((a, b) => order.indexOf(a.dimension) - order.indexOf(b.dimension) || COHORT_ORDER.compare(a.cohort, b.cohort));
  }

  /** Termly and weekly series (no suppression: whole-group rates), remembered until the next load. */
  private trends(laCode: string, academicYear: string, urn: number | null): Promise<Trends> {
    return this.warehouse.remember(`benchmarks:trends|${laCode}|${academicYear}|${urn ?? 'la'}`, () => this.trendsNow(laCode, academicYear, urn));
  }

  private async trendsNow(laCode: string, academicYear: string, urn: number | null): Promise<Trends> {
    const previousYear = previousAcademicYear(academicYear);
    const [termRows, weekRows] = await Promise.all([
      this.repository.termly(laCode, academicYear, previousYear, urn),
      this.repository.weekly(laCode, academicYear, previousYear, urn),
    ]);
    const termRate = (year: string, term: string) => {
      const r = termRows.find((t) => t.academic_year === year && t.term === term);
      return r ? ratePct(Number(r.overall_absence), Number(r.possible_sessions)) : null;
    };
    const termly: TrendPoint[] = TERMS.map((term) => ({ period: term, weekStart: null, thisYear: termRate(academicYear, term), lastYear: termRate(previousYear, term) }))
      .filter((p) => p.thisYear !== null || p.lastYear !== null);
    // Week n of an academic year: the n-th week with possible sessions, counted from September.
    const weeksOf = (year: string) =>
      weekRows
        .filter((w) => String(w.academic_year) === year.replace('/', '-') && Number(w.possible_sessions) > 0)
        .map((w) => ({ weekStart: isoDate(w.week_start), rate: ratePct(Number(w.overall_absence), Number(w.possible_sessions)) }));
    const now = weeksOf(academicYear);
    const before = weeksOf(previousYear);
    const weekly: TrendPoint[] = Array.from({ length: Math.max(now.length, before.length) }, (_, i) => ({
      period: `Week ${i + 1}`,
      weekStart: now[i]?.weekStart ?? null,
      thisYear: now[i]?.rate ?? null,
      lastYear: before[i]?.rate ?? null,
    }));
    return { academicYear, previousYear, termly, weekly };
  }

  /** The year asked for, checked, or the newest with returns for the LA. */
  private async resolveYear(laCode: string, requested: string | null | undefined): Promise<string> {
    checkYear(requested);
    const years = await this.repository.academicYears(laCode);
    if (years.length === 0) throw new AttendanceException(AttendanceExceptionCode.NO_DATA_LOADED, 'No attendance data has been loaded yet.');
    if (requested === undefined || requested === null) return years[0]!;
    if (!years.includes(requested)) {
      throw new AttendanceException(AttendanceExceptionCode.ACADEMIC_YEAR_NOT_LOADED, `No attendance data is loaded for ${requested}. Loaded years: ${years.join(', ')}.`);
    }
    return requested;
  }
}

type Characteristics = NonNullable<Awaited<ReturnType<BenchmarksRepository['characteristics']>>>;

/** A school's similar schools as chosen for everybody (figures and suppression are added per user). */
interface SimilarGroup {
  /** Null when the school is not on the loaded school list. */
  school: Characteristics[number] | null;
  within: 'la' | 'national';
  chosen: { urn: number; name: string; rank: number; distance: number }[];
}

/** A school page's figures before suppression (see `schoolFigures`). Shared: never change them. */
interface SchoolFigures {
  counts: Map<number, SchoolCounts>;
  /** Null when no school list is loaded. */
  similarGroup: SimilarGroup | null;
  cohortRows: CohortRow[];
  bands: WarehouseRow[];
  reasons: WarehouseRow[];
  heat: WarehouseRow[];
  trends: Trends;
}

/**
 * The school's most similar schools by the distance of docs/benchmarks.md (`similarSchools` in
 * @rollbook/metrics, as `similarSchoolsFor` in @rollbook/etl), within its LA or nationally.
 */
function similarGroupOf(urn: number, within: 'la' | 'national', all: Characteristics): SimilarGroup {
  const school = all.find((s) => s.urn === urn) ?? null;
  if (school === null) return { school, within, chosen: [] };
  const candidates = within === 'la' ? all.filter((s) => s.laCode === school.laCode) : all;
  const byUrn = new Map(candidates.map((s) => [s.urn, s]));
  const chosen = similarSchools(school, candidates, { preferSameRegion: within === 'national' }).map((c) => ({
    urn: c.urn,
    name: byUrn.get(c.urn)?.name ?? String(c.urn),
    rank: c.rank,
    distance: c.distance,
  }));
  return { school, within, chosen };
}

function checkYear(requested: string | null | undefined): void {
  if (requested !== undefined && requested !== null && !ACADEMIC_YEAR.test(requested)) {
    throw new AttendanceException(AttendanceExceptionCode.ACADEMIC_YEAR_INVALID, `Academic year must be written like 2024/25, not "${requested.slice(0, 20)}".`);
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function isoDate(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
