import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isAcademicYear, PERSISTENT_ABSENCE_THRESHOLD_PCT, ratePct } from '@rollbook/metrics';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { LoadEvents } from '../../warehouse/load-events.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import { AccessException, AccessExceptionCode, NOT_PERMITTED_MESSAGE } from '../access/access.exception.js';
import type { AccessScope } from '../access/access-scope.js';
import type { RequestAccess } from '../access/request-access.js';
import type { RoleRule } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { PupilsException, PupilsExceptionCode } from '../pupils/pupils.exception.js';
import { SocialCareException, SocialCareExceptionCode } from './social-care.exception.js';
import { ASSESSMENT_QUESTIONS, childAttendanceOfRows, FLAG_LABELS, NOT_ON_ROLL_AT_LA_SCHOOLS, type ChildAttendanceSummary } from './child-attendance.js';
import { childAttendanceKey } from './child-attendance-key.js';
import { loadContactDirectory, type ContactDirectory } from './contacts.js';
import type {
  Caseload,
  CohortFigures,
  EducationPlan,
  NationalLookedAfterFigures,
  NationalLookedAfterFiguresInput,
  SocialCareChild,
  SocialCareChildPage,
  UnmatchedChild,
  VirtualSchool,
  VirtualSchoolAlert,
} from './models/social-care.model.js';
import { academicYearDays, SocialCareAlerts } from './social-care-alerts.js';
import { SocialCareRepository } from './social-care.repository.js';

const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;
const PEP_STATUSES = ['not_started', 'in_progress', 'complete', 'overdue'];
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const isoDate = (v: unknown): string | null => (v instanceof Date ? v.toISOString().slice(0, 10) : text(v));

function groupBy<T extends WarehouseRow>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(String(r.upn), [...(out.get(String(r.upn)) ?? []), r]);
  return out;
}

/**
 * Social workers' caseloads, a child's page and the virtual school: attendance in days and hours
 * missed for the children each user holds, through the request's scope. Every read naming
 * children is audited with their UPNs before it is returned.
 */
@Injectable()
export class SocialCareService implements OnModuleInit {
  private readonly directory: ContactDirectory;

  constructor(
    private readonly repository: SocialCareRepository,
    private readonly audit: AuditService,
    private readonly events: LoadEvents,
    private readonly alerts: SocialCareAlerts,
    private readonly warehouse: WarehouseService,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.directory = loadContactDirectory(config.dataDir);
  }

  /** Concerns are worked out whenever data loads, in the background (see {@link SocialCareAlerts}). */
  onModuleInit(): void {
    this.events.onLoaded('social-care alerts', (records) => {
      this.alerts.afterLoad(records);
      return Promise.resolve();
    });
  }

  /**
   * How many concerns about the children on the user's page were detected since they last looked
   * (for a notice in the navigation). Zero for roles without a caseload or virtual school page.
   */
  async newConcerns(access: RequestAccess): Promise<number> {
    const scope = access.scope;
    const user = scope.user;
    if (!scope.rule.ownCaseload && !scope.rule.teamCaseload && !scope.rule.childrenInCare) return 0;
    const upns = scope.rule.childrenInCare
      ? (await this.repository.lookedAfter(scope, { laCode: user.laCode, today: scope.today })).map((r) => String(r.upn))
      : scope.upns;
    const lastLook = await this.repository.lastLook(user.id);
    return this.repository.countDetectedSince(user.laCode, upns, lastLook?.seenAt ?? null);
  }

  async caseload(access: RequestAccess, args: { academicYear?: string | null; markSeen?: boolean }): Promise<Caseload> {
    const scope = access.scope;
    scope.requirePupilLevel();
    const academicYear = await this.resolveYear(args.academicYear);
    const user = scope.user;
    const narrow = {
      workerId: user.role === 'social_worker' ? user.workerId : null,
      team: user.role === 'team_manager' ? user.team : null,
    };
    const base = { laCode: user.laCode, today: scope.today, ...narrow };
    const [rows, unmatched, lastLook] = await Promise.all([
      this.repository.caseload(scope, base),
      this.repository.unmatched(scope, { ...base, showWithoutUpn: scope.wholeLa !== null || narrow.workerId !== null || narrow.team !== null }),
      this.repository.lastLook(user.id),
    ]);
    const children = await this.children(access, rows, academicYear, false);
    const list = unmatched.map(toUnmatched);
    // The concerns, the audit record and the look are independent: one round trip to PostgreSQL,
    // not three in turn. Nothing is returned unless the read was audited.
    const [alerts] = await Promise.all([
      this.alertsOf(user.laCode, children, academicYear, lastLook),
      this.audit.record(access, {
        action: 'caseload.read', outcome: 'ok', objectType: 'caseload', objectId: user.workerId ?? user.team ?? user.laCode,
        childUpns: [...children.map((c) => c.upn), ...list.flatMap((u) => (u.upn ? [u.upn] : []))],
        details: { academicYear, children: children.length, unmatched: list.length },
      }),
      this.markSeen(user.id, children, args.markSeen ?? true),
    ]);
    return { today: scope.today, academicYear, seenThrough: lastLook?.seenThrough ?? null, children, alerts, unmatched: list };
  }

  async virtualSchool(access: RequestAccess, args: { academicYear?: string | null; markSeen?: boolean }): Promise<VirtualSchool> {
    const scope = access.scope;
    scope.requirePupilLevel();
    if (!scope.rule.childrenInCare && scope.wholeLa === null) throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, NOT_PERMITTED_MESSAGE);
    const academicYear = await this.resolveYear(args.academicYear);
    const user = scope.user;
    const [rows, unmatched, lastLook, national] = await Promise.all([
      this.repository.lookedAfter(scope, { laCode: user.laCode, today: scope.today }),
      this.repository.unmatched(scope, { laCode: user.laCode, today: scope.today, workerId: null, team: null, showWithoutUpn: true }),
      this.repository.lastLook(user.id),
      this.repository.nationalFigures(academicYear),
    ]);
    const children = await this.children(access, rows, academicYear, true);
    const alerts = await this.alertsOf(user.laCode, children, academicYear, lastLook);
    const seenThrough = lastLook?.seenThrough ?? null;
    const lookedAfterUnmatched = unmatched.map(toUnmatched).filter((u) => u.heldAs.includes('looked_after'));
    await Promise.all([
      this.audit.record(access, {
        action: 'virtual_school.read', outcome: 'ok', objectType: 'la', objectId: user.laCode,
        childUpns: [...children.map((c) => c.upn), ...lookedAfterUnmatched.flatMap((u) => (u.upn ? [u.upn] : []))],
        details: { academicYear, children: children.length, alerts: alerts.length },
      }),
      this.markSeen(user.id, children, args.markSeen ?? true),
    ]);
    return {
      today: scope.today, academicYear, seenThrough, cohort: cohortOf(children, national, academicYear), children, alerts, unmatched: lookedAfterUnmatched,
      mayRecordNationalFigures: mayRecordNationalFigures(scope.rule),
      // The children in care are in the scope of a role that holds them, wherever they are on roll;
      // a whole-LA role reaches the LA's own schools' marks only.
      seesOtherLasSchools: scope.rule.childrenInCare,
    };
  }

  /** A child's page, or null when unknown or not yours to see (the same answer for both; audited). */
  async child(access: RequestAccess, rawUpn: string, academicYear?: string | null): Promise<SocialCareChildPage | null> {
    const scope = access.scope;
    scope.requirePupilLevel();
    const upn = rawUpn.trim().toUpperCase();
    if (!UPN.test(upn)) throw new PupilsException(PupilsExceptionCode.UPN_INVALID, 'A UPN is a letter followed by 12 characters, like A123456789012.');
    const year = await this.resolveYear(academicYear);
    const [details, statuses, allocations, marks, schools] = await Promise.all([
      this.repository.pupilDetails(scope, upn),
      this.repository.statuses(scope, upn),
      this.repository.allocations(scope, upn),
      this.repository.marks(scope, [upn], year),
      this.repository.schools(scope, [upn], year, scope.user.laCode),
    ]);
    const found = details !== null || statuses.length > 0 || allocations.length > 0 || marks.length > 0;
    await this.audit.record(access, { action: 'child.read', outcome: found ? 'ok' : 'not_found', objectType: 'pupil', objectId: upn, childUpns: [upn] });
    if (!found) return null;
    const plans = await this.repository.educationPlans(scope.user.laCode, [upn]);
    const school = schools[0] ?? null;
    const s = (await this.attendanceOf(scope, year, new Map([[upn, school !== null]]))).get(upn)!;
    const urn = school ? Number(school.urn) : null;
    const follows = scope.followsChild(upn);
    return {
      ...childRow(upn, { ...details, ...(allocations.at(-1) ?? {}) }, school, s, plans.get(upn) ?? null, follows),
      seesEverySchool: follows,
      dateOfBirth: isoDate(details?.dob),
      academicYear: year,
      asOf: s.asOf,
      lastTwoWeeksFigures: s.lastTwoWeeks,
      weeks: s.weeks,
      calendar: s.calendar,
      penaltyThresholdMetOn: s.penaltyThresholdMetOn,
      questions: follows ? s.questions : s.questions.map((q) => (q === ASSESSMENT_QUESTIONS.notOnRoll ? ASSESSMENT_QUESTIONS.notOnRollHere : q)),
      statuses: statuses.map((r) => ({ status: String(r.status), startDate: String(r.start_date), endDate: text(r.end_date), source: String(r.source) })),
      previouslyLookedAfter: previouslyLookedAfter(statuses, scope.today),
      allocations: allocations.map((r) => ({
        workerName: String(r.worker_name), workerEmail: text(r.worker_email), team: text(r.team), startDate: String(r.start_date), endDate: text(r.end_date),
      })),
      schoolContact: urn === null ? null : (this.directory.schools[String(urn)] ?? null),
      serviceContacts: this.directory.services,
    };
  }

  async setEducationPlan(access: RequestAccess, input: { upn: string; pepStatus: string; pepDate: string | null; supportPlan: string | null }): Promise<EducationPlan> {
    const scope = access.scope;
    if (!scope.rule.childrenInCare) throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, NOT_PERMITTED_MESSAGE);
    const upn = input.upn.trim().toUpperCase();
    if (!UPN.test(upn)) throw new PupilsException(PupilsExceptionCode.UPN_INVALID, 'A UPN is a letter followed by 12 characters, like A123456789012.');
    if (!scope.followsChild(upn)) throw new AccessException(AccessExceptionCode.OUT_OF_SCOPE, 'This child is not one the virtual school follows.');
    if (!PEP_STATUSES.includes(input.pepStatus)) throw new SocialCareException(SocialCareExceptionCode.EDUCATION_PLAN_INVALID, `PEP status must be one of ${PEP_STATUSES.join(', ')}.`);
    if (input.pepDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(input.pepDate)) throw new SocialCareException(SocialCareExceptionCode.EDUCATION_PLAN_INVALID, 'A PEP date is written YYYY-MM-DD.');
    await this.repository.saveEducationPlan(scope.user.laCode, upn, { ...input, supportPlan: input.supportPlan?.slice(0, 2000) ?? null }, scope.user.id);
    await this.audit.record(access, { action: 'education_plan.update', outcome: 'ok', objectType: 'pupil', objectId: upn, childUpns: [upn], details: { pepStatus: input.pepStatus } });
    return (await this.repository.educationPlans(scope.user.laCode, [upn])).get(upn)!;
  }

  /**
   * Records (or corrects) a year's national figures for looked-after children, copied from DfE's
   * release; the virtual school and the LA administrator only (audited).
   */
  async setNationalLookedAfterFigures(access: RequestAccess, input: NationalLookedAfterFiguresInput): Promise<NationalLookedAfterFigures> {
    const scope = access.scope;
    if (!mayRecordNationalFigures(scope.rule)) throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, NOT_PERMITTED_MESSAGE);
    const figures = {
      academicYear: input.academicYear.trim(),
      overallAbsencePct: input.overallAbsencePct,
      persistentAbsencePct: input.persistentAbsencePct ?? null,
      source: input.source.trim(),
    };
    const problems = nationalFiguresProblems(figures);
    if (problems.length > 0) {
      // The message lists every problem at once.
      throw new SocialCareException(SocialCareExceptionCode.NATIONAL_FIGURES_INVALID, problems.join(' '));
    }
    const replaced = await this.repository.saveNationalFigures(figures, scope.user.id);
    await this.audit.record(access, {
      action: 'national_cla_figures.update', outcome: 'ok', objectType: 'academic_year', objectId: figures.academicYear,
      details: { overallAbsencePct: figures.overallAbsencePct, persistentAbsencePct: figures.persistentAbsencePct, source: figures.source, replaced },
    });
    return (await this.repository.nationalFigures(figures.academicYear))!;
  }

  private async children(access: RequestAccess, rows: WarehouseRow[], academicYear: string, withPlans: boolean): Promise<SocialCareChild[]> {
    const scope = access.scope;
    const upns = rows.map((r) => String(r.upn));
    const [schools, plans] = await Promise.all([
      this.repository.schools(scope, upns, academicYear, scope.user.laCode),
      withPlans ? this.repository.educationPlans(scope.user.laCode, upns) : Promise.resolve(new Map<string, EducationPlan>()),
    ]);
    const schoolBy = groupBy(schools);
    const summaries = await this.attendanceOf(scope, academicYear, new Map(upns.map((upn) => [upn, schoolBy.has(upn)])));
    return rows.map((r) => {
      const upn = String(r.upn);
      const school = schoolBy.get(upn)?.[0] ?? null;
      return childRow(upn, r, school, summaries.get(upn)!, plans.get(upn) ?? null, scope.followsChild(upn));
    });
  }

  /**
   * The attendance of these children (UPN → on roll at a school this year) in `academicYear`,
   * remembered in the warehouse result cache until the next load or purge, and shared by every
   * user who would be given the same figures. They depend on the child's marks and suspensions
   * the scope lets through, so the key names, for each child, what the scope sees of them (see
   * {@link childAttendanceKey}) — never the user. Access is checked before; the per-user "new since you
   * last looked" part is applied after. The summaries are shared: callers must not change them.
   */
  private async attendanceOf(scope: AccessScope, academicYear: string, onRoll: ReadonlyMap<string, boolean>): Promise<Map<string, ChildAttendanceSummary>> {
    return this.warehouse.remember(childAttendanceKey(scope, academicYear, onRoll), async () => {
      const upns = [...onRoll.keys()];
      const [marks, suspensions] = await Promise.all([
        this.repository.marks(scope, upns, academicYear),
        this.repository.suspensions(scope, upns, academicYear),
      ]);
      const marksBy = groupBy(marks);
      const suspensionsBy = groupBy(suspensions);
      return new Map(upns.map((upn) => [upn, summarise(marksBy.get(upn) ?? [], suspensionsBy.get(upn) ?? [], onRoll.get(upn)!)]));
    });
  }

  /**
   * The stored concerns of these children this academic year, newest first (worked out when data
   * loaded). A concern is new to the user when first detected after their last visit, so concerns
   * in a late return count as new too.
   */
  private async alertsOf(
    laCode: string,
    children: readonly SocialCareChild[],
    academicYear: string,
    lastLook: { seenAt: Date } | null,
  ): Promise<VirtualSchoolAlert[]> {
    const names = new Map(children.map((c) => [c.upn, [c.forename, c.surname].filter(Boolean).join(' ') || null]));
    const { from, to } = academicYearDays(academicYear);
    const stored = await this.repository.storedAlerts(laCode, [...names.keys()], from, to);
    return stored.map(({ detectedAt, ...a }) => ({ ...a, name: names.get(a.upn) ?? null, isNew: lastLook === null || detectedAt > lastLook.seenAt }));
  }

  /** Remembers that the user has seen the alerts up to the newest mark of these children. */
  private async markSeen(userId: string, children: readonly SocialCareChild[], mark: boolean): Promise<void> {
    const latest = children.map((c) => c.year.to).filter((d): d is string => d !== null).sort().at(-1);
    if (mark && latest) await this.repository.markSeen(userId, latest);
  }

  private async resolveYear(requested: string | null | undefined): Promise<string> {
    if (requested && !/^\d{4}\/\d{2}$/.test(requested)) {
      throw new PupilsException(PupilsExceptionCode.ACADEMIC_YEAR_INVALID, `Academic year must be written like 2024/25, not "${requested.slice(0, 20)}".`);
    }
    const years = await this.repository.academicYears();
    if (years.length === 0) throw new PupilsException(PupilsExceptionCode.NO_DATA_LOADED, 'No attendance data has been loaded yet.');
    if (!requested) return years[0]!;
    if (!years.includes(requested)) throw new PupilsException(PupilsExceptionCode.ACADEMIC_YEAR_NOT_LOADED, `No attendance data is loaded for ${requested}.`);
    return requested;
  }
}

const summarise = childAttendanceOfRows;

function childRow(
  upn: string,
  r: Record<string, unknown>,
  school: WarehouseRow | null,
  s: ReturnType<typeof summarise>,
  plan: EducationPlan | null,
  /** Does the reader's scope follow this child to every school (a caseload, the children in care)? */
  seesEverySchool: boolean,
): SocialCareChild {
  return {
    upn,
    laChildId: text(r.la_child_id),
    forename: text(r.forename),
    surname: text(r.surname),
    workerName: text(r.worker_name),
    urn: school ? Number(school.urn) : null,
    schoolName: text(school?.school_name),
    schoolLaName: text(school?.la_name),
    outOfArea: school?.out_of_area === true,
    year: s.year,
    term: s.term,
    lastTwoWeeks: s.lastTwoWeeksSentence,
    trend: s.trend,
    flags: s.flags,
    flagLabels: s.flags.map((f) => (f === 'not_on_roll' && !seesEverySchool ? NOT_ON_ROLL_AT_LA_SCHOOLS : FLAG_LABELS[f])),
    alerts: s.alerts,
    educationPlan: plan,
  };
}


/** Looked after at some time before `today`, and not on `today` (end dates are exclusive, as in fct_child_status). */
export function previouslyLookedAfter(statuses: readonly WarehouseRow[], today: string): boolean {
  const care = statuses.filter((r) => r.status === 'looked_after');
  const now = care.some((r) => String(r.start_date) <= today && (r.end_date == null || String(r.end_date) > today));
  return !now && care.some((r) => r.end_date != null && String(r.end_date) <= today);
}

function toUnmatched(r: WarehouseRow): UnmatchedChild {
  return { laChildId: String(r.la_child_id), upn: text(r.upn), heldAs: String(r.held_as), problem: String(r.problem) };
}

/** Who may record the national looked-after figures: the virtual school and the LA administrator. */
export function mayRecordNationalFigures(rule: RoleRule): boolean {
  return rule.childrenInCare || rule.administers;
}

const SOURCE_MAX = 500;

/** What is wrong with a year's national figures as entered, in words for the user (empty when nothing). */
export function nationalFiguresProblems(f: { academicYear: string; overallAbsencePct: number; persistentAbsencePct: number | null; source: string }): string[] {
  const problems: string[] = [];
  const pct = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100;
  if (!isAcademicYear(f.academicYear)) problems.push(`Academic year must be written like 2024/25, not "${f.academicYear.slice(0, 20)}".`);
  if (!pct(f.overallAbsencePct)) problems.push('Overall absence must be a percentage from 0 to 100.');
  if (f.persistentAbsencePct !== null && !pct(f.persistentAbsencePct)) problems.push('Persistent absence must be a percentage from 0 to 100.');
  if (f.source.length === 0) problems.push('Enter the source: the name or web address of the DfE release the figures come from.');
  else if (f.source.length > SOURCE_MAX) problems.push(`The source must be ${SOURCE_MAX} characters or fewer.`);
  return problems;
}

/** What the national figures beside the cohort are, or that none are recorded. */
export function nationalNoteOf(national: NationalLookedAfterFigures | null, academicYear: string): string {
  if (national === null) {
    return 'National figures for looked-after children (DfE "Outcomes for children in need, including children looked after by local authorities in England") are not recorded yet: compare by hand until they are.';
  }
  const year = national.earlierYear
    ? `England, ${national.academicYear} (the newest year recorded; none are recorded for ${academicYear})`
    : `England, ${national.academicYear}`;
  return `${year}, from ${national.source}. DfE counts children looked after on 31 March, over the whole school year; the cohort here is every child looked after today, over the year so far.`;
}

/**
 * Cohort figures, summed then divided. `persistentAbsenceRate` is attendance under 90 % over the
 * year so far (the flag on each child); `persistentAbsenteeRate` is DfE's rule (10 % or more of
 * sessions missed), to sit beside the national figure.
 */
export function cohortOf(children: readonly SocialCareChild[], national: NationalLookedAfterFigures | null = null, academicYear = ''): CohortFigures {
  const onRoll = children.filter((c) => !c.flags.includes('not_on_roll'));
  const possible = onRoll.reduce((n, c) => n + c.year.possibleSessions, 0);
  const absent = onRoll.reduce((n, c) => n + c.year.absentSessions, 0);
  const withSessions = onRoll.filter((c) => c.year.possibleSessions > 0);
  return {
    children: children.length,
    onRoll: onRoll.length,
    outOfArea: children.filter((c) => c.outOfArea).length,
    attendanceRate: ratePct(possible - absent, possible),
    persistentAbsenceRate: ratePct(withSessions.filter((c) => c.flags.includes('below_90')).length, withSessions.length),
    overallAbsenceRate: ratePct(absent, possible),
    persistentAbsenteeRate: ratePct(
      withSessions.filter((c) => c.year.absentSessions * 100 >= PERSISTENT_ABSENCE_THRESHOLD_PCT * c.year.possibleSessions).length,
      withSessions.length,
    ),
    daysMissed: absent / 2,
    suspendedOrExcluded: children.filter((c) => c.flags.includes('suspended_or_excluded')).length,
    partTimeTimetable: children.filter((c) => c.flags.includes('part_time_timetable')).length,
    national,
    nationalNote: nationalNoteOf(national, academicYear),
  };
}
