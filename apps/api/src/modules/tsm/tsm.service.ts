import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PURGE_SUBMISSION_KIND, type SubmissionRecord } from '@rollbook/etl';
import {
  REGISTER_CODES,
  TSM_ACTION_STATUSES,
  TSM_ACTION_TYPES,
  TSM_TIERS,
  actionImpact,
  aggregate,
  defaultReviewDate,
  enrolmentRates,
  familySummary,
  isReviewOverdue,
  rates,
  summaryFromRow,
  termDates,
  tsmMembership,
} from '@rollbook/metrics';
import type { SessionCounts, Term, TsmActionStatus, TsmActionType, TsmTier } from '@rollbook/metrics';
import { AuditService } from '../audit/audit.service.js';
import { systemJobActor, systemJobScope, type AccessScope } from '../access/access-scope.js';
import type { RequestAccess } from '../access/request-access.js';
import { utcToday } from '../access/scope.factory.js';
import { BenchmarksService, type SchoolTermComparison, type TermComparisonContext, type TermFigures } from '../benchmarks/benchmarks.service.js';
import { LoadEvents } from '../../warehouse/load-events.js';
import { Role } from '../access/roles.js';
import type { WarehouseRow } from '../../warehouse/warehouse.service.js';
import type { TsmActionFollowUp, TsmActionRecord, TsmCohortRow, TsmComparison, TsmFiguresPupil, TsmPack, TsmPackFigures, TsmPackPupil, TsmStoredPack } from './tsm-pack.js';
import { TsmException, TsmExceptionCode } from './tsm.exception.js';
import { TsmRepository, type MeetingRow, type NewAction } from './tsm.repository.js';

/** The pack builds that follow a load, as a system job: `system:tsm-packs` in the audit log. */
export const TSM_PACK_JOB = 'tsm-packs';

const TERMS: readonly Term[] = ['autumn', 'spring', 'summer'];
const WEEKDAYS: Record<number, string> = { 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };
const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;
/** Roles that hold or record meetings: the LA's attendance team and the school itself. */
const MEETING_ROLES: readonly Role[] = [Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_USER];

/** `'2024/25 spring'`, the key of a term across years, ordered by {@link termIndex}. */
const termKey = (academicYear: string, term: string) => `${academicYear} ${term}`;
const termIndex = (academicYear: string, term: string) => Number(academicYear.slice(0, 4)) * 3 + TERMS.indexOf(term as Term);

export function previousTerm(academicYear: string, term: Term): { academicYear: string; term: Term } {
  const i = TERMS.indexOf(term);
  if (i > 0) return { academicYear, term: TERMS[i - 1]! };
  const start = Number(academicYear.slice(0, 4)) - 1;
  return { academicYear: `${start}/${String((start + 1) % 100).padStart(2, '0')}`, term: 'summer' };
}

/** The session counts of an enrolment row (the measure columns of `@rollbook/metrics`). */
const counts = (row: WarehouseRow): SessionCounts => summaryFromRow(row);

/** Absence codes (authorised or unauthorised in some era). */
const ABSENCE_CODES = new Set(REGISTER_CODES.filter((r) => r.category === 'authorised' || r.category === 'unauthorised').map((r) => r.code));

function mainReasons(row: WarehouseRow): { code: string; sessions: number }[] {
  return Object.entries(summaryFromRow(row).byReason)
    .filter(([code, sessions]) => ABSENCE_CODES.has(code) && sessions > 0)
    .map(([code, sessions]) => ({ code, sessions }))
    .sort((a, b) => b.sessions - a.sessions || (a.code < b.code ? -1 : 1))
    .slice(0, 3);
}

function flags(row: WarehouseRow): string[] {
  const f: string[] = [];
  if (row.fsm === true) f.push('FSM');
  if (row.sen_provision === 'K') f.push('SEN support');
  if (row.sen_provision === 'E') f.push('EHC plan');
  if (row.social_worker === true) f.push('Child with a social worker');
  if (row.looked_after === true) f.push('Looked after');
  if (row.young_carer === true) f.push('Young carer');
  // C2: leave of absence for a pupil of compulsory school age on a part-time timetable (2024/25 codes).
  if ((summaryFromRow(row).byReason.C2 ?? 0) > 0) f.push('Part-time timetable');
  if (Number(row.suspensions ?? 0) > 0) f.push('Suspended this term');
  return f;
}

/** The session counts alone (without the counts by register code), as kept with a pack's figures. */
function sessionCounts(s: SessionCounts): SessionCounts {
  return {
    possibleSessions: s.possibleSessions,
    presentSessions: s.presentSessions,
    approvedEducationalActivity: s.approvedEducationalActivity,
    authorisedAbsence: s.authorisedAbsence,
    unauthorisedAbsence: s.unauthorisedAbsence,
    overallAbsence: s.overallAbsence,
    lateSessions: s.lateSessions,
  };
}

/**
 * Whether kept figures hold what the actions need: every pupil of the pack's term with an action
 * is among the pupils kept, with the counts of the action's term.
 */
function holdsActions(figures: TsmPackFigures, earlier: readonly TsmActionRecord[]): boolean {
  const onRoll = new Set(figures.upns);
  const held = new Map(figures.pupils.map((p) => [p.upn, p]));
  const terms = new Set(figures.terms);
  return earlier.every((a) => a.upn === null || !onRoll.has(a.upn) || (held.has(a.upn) && terms.has(termKey(a.academicYear, a.term))));
}

const COHORTS: readonly { label: string; test: (row: WarehouseRow) => boolean }[] = [
  { label: 'All pupils', test: () => true },
  { label: 'Free school meals', test: (r) => r.fsm === true },
  { label: 'Not free school meals', test: (r) => r.fsm === false },
  { label: 'SEN support', test: (r) => r.sen_provision === 'K' },
  { label: 'EHC plan', test: (r) => r.sen_provision === 'E' },
  { label: 'No SEN', test: (r) => r.sen_provision === 'N' || r.sen_provision == null },
  { label: 'Child with a social worker', test: (r) => r.social_worker === true || r.looked_after === true },
];

export interface RecordMeetingInput {
  urn: number;
  academicYear: string;
  term: string;
  meetingDate: string;
  attendees: { name: string; role: string; organisation: 'school' | 'la' | 'other' }[];
  notes?: string | null;
  actions: (Omit<NewAction, 'reviewDate' | 'notes' | 'upn' | 'cohort'> & { upn?: string | null; cohort?: string | null; reviewDate?: string | null; notes?: string | null })[];
}

export interface PlannerRow {
  urn: number;
  name: string | null;
  meetingDate: string | null;
  meetingId: string | null;
  openActions: number;
  overdueActions: number;
  /** The pack stored when the school's return for the term loaded; null when none yet. */
  storedPack: TsmStoredPack | null;
}

/** A school × term whose pack is to be built after a load. */
interface PackJob {
  laCode: string;
  urn: number;
  academicYear: string;
  term: Term;
  submissionId: string;
  submittedAt: string;
}

/** The comparison rows of a pack from the benchmark figures (the same measures as the school page). */
export function packComparisons(c: SchoolTermComparison, schoolLabel: string, laName: string): TsmComparison[] {
  const row = (kind: TsmComparison['kind'], label: string, f: TermFigures | null, note: string | null): TsmComparison => ({
    kind,
    label,
    overallAbsencePerc: f?.overallAbsenceRate ?? null,
    persistentPerc: f?.persistentAbsenceRate ?? null,
    severePerc: f?.severeAbsenceRate ?? null,
    note,
  });
  return [
    row('school', schoolLabel, c.school, null),
    row('similar', c.similar ? `Similar schools (${c.similar.withReturns})` : 'Similar schools', c.similar, c.similar?.description ?? c.similarUnavailable),
    row('la', laName, c.la, 'Every school of the LA with a return this term, pooled.'),
    row('england', 'England', c.england, c.england?.description ?? c.englandUnavailable),
  ];
}

/**
 * Targeting support meetings: the termly pack (pupils on the pack by the rules in
 * `@rollbook/metrics`, earlier actions with their impact, cohorts, the school against its LA),
 * meetings and their actions (every change audited), the planner and the action tracker.
 */
@Injectable()
export class TsmService implements OnModuleInit, OnApplicationShutdown {
  private static readonly logger = new Logger('TSM packs');
  /** Packs to build after loads, one per school × term (a later load of the same replaces it). */
  private readonly queued = new Map<string, PackJob>();
  private closing = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly repository: TsmRepository,
    private readonly audit: AuditService,
    private readonly benchmarks: BenchmarksService,
    private readonly events: LoadEvents,
  ) {}

  onModuleInit(): void {
    // Never awaited by the loader's filing: packs are built in the background, one at a time.
    this.events.onLoaded('TSM packs', (records) => {
      this.packsAfterLoad(records);
      return Promise.resolve();
    });
    // A purge of an academic year's registers takes the packs built from them too.
    this.events.onLoaded('TSM packs of purged years', async (records) => {
      for (const r of records) if (r.kind === PURGE_SUBMISSION_KIND && r.academicYear) await this.repository.forgetYear(r.academicYear);
    });
  }

  /** Queues the pack of every school × term whose return just loaded (duplicates coalesced). */
  packsAfterLoad(records: readonly SubmissionRecord[]): void {
    if (this.closing) return;
    for (const r of records) {
      if (r.kind !== 'return' || r.status !== 'loaded' || r.urn === null || !r.laCode || !r.academicYear || !TERMS.includes(r.term as Term)) continue;
      const key = `${r.laCode} ${r.urn} ${termKey(r.academicYear, r.term!)}`;
      const earlier = this.queued.get(key);
      if (earlier && earlier.submittedAt > r.submittedAt) continue;
      this.queued.set(key, { laCode: r.laCode, urn: r.urn, academicYear: r.academicYear, term: r.term as Term, submissionId: r.id, submittedAt: r.submittedAt });
    }
    if (this.queued.size > 0 && this.running === null) {
      this.running = this.buildQueued().finally(() => (this.running = null));
    }
  }

  /** Resolves when no pack build is queued or running (tests, shutdown). */
  async packsSettled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops building after the pack in hand, and waits for it (the warehouse closes next). */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.queued.clear();
    await this.packsSettled();
  }

  /**
   * Builds and stores the queued packs one at a time; failures are logged. Only what is current
   * is built: when a batch holds several terms of one school (a bulk load of history), the newest;
   * and not a term older than one whose pack is already stored, or than one queued by a later
   * batch meanwhile (the loader's records are filed every 10 s, so a load of six years comes in
   * several batches). The older terms' stored packs are removed rather than left stale, and
   * those packs are worked out when opened. (The demo's 312 returns thus build 104 packs.)
   */
  private async buildQueued(): Promise<void> {
    while (this.queued.size > 0 && !this.closing) {
      const newest = new Map<string, PackJob>();
      const superseded: PackJob[] = [];
      for (const job of this.queued.values()) {
        const key = `${job.laCode} ${job.urn}`;
        const held = newest.get(key);
        if (!held) newest.set(key, job);
        else if (termIndex(job.academicYear, job.term) > termIndex(held.academicYear, held.term)) {
          superseded.push(held);
          newest.set(key, job);
        } else superseded.push(job);
      }
      this.queued.clear();
      const latestStored = new Map<string, number>();
      for (const p of await this.repository.storedTerms([...new Set([...newest.values()].map((j) => j.urn))])) {
        const key = `${p.laCode} ${p.urn}`;
        latestStored.set(key, Math.max(latestStored.get(key) ?? -Infinity, termIndex(p.academicYear, p.term)));
      }
      for (const [key, job] of newest) {
        if ((latestStored.get(key) ?? -Infinity) > termIndex(job.academicYear, job.term)) {
          superseded.push(job);
          newest.delete(key);
        }
      }
      if (superseded.length > 0) await this.repository.removePacks(superseded);
      const jobs = [...newest.values()].sort((a, b) => termIndex(b.academicYear, b.term) - termIndex(a.academicYear, a.term) || a.urn - b.urn);
      const started = Date.now();
      const contexts = new Map<string, Promise<TermComparisonContext>>();
      let built = 0;
      let skipped = 0;
      const done: PackJob[] = [];
      for (const job of jobs) {
        if (this.closing) return;
        // Let requests in between two packs.
        await new Promise((resolve) => setImmediate(resolve));
        // A later batch has brought a later term of this school: that pack is built instead.
        if ([...this.queued.values()].some((q) => q.laCode === job.laCode && q.urn === job.urn && termIndex(q.academicYear, q.term) > termIndex(job.academicYear, job.term))) {
          await this.repository.removePacks([job]);
          skipped += 1;
          continue;
        }
        const key = `${job.laCode} ${termKey(job.academicYear, job.term)}`;
        if (!contexts.has(key)) contexts.set(key, this.benchmarks.termComparisonContext(job.laCode, job.academicYear, job.term));
        try {
          await this.buildAndStore(job, await contexts.get(key)!);
          built += 1;
          done.push(job);
        } catch (error) {
          TsmService.logger.error(`The pack of URN ${job.urn} for ${termKey(job.academicYear, job.term)} was not built: ${(error as Error).message}`);
        }
      }
      const warmed = await this.warmEarlierTerms(done, contexts);
      TsmService.logger.log(
        `Built ${built} of ${jobs.length} targeting support meeting packs after a load in ${((Date.now() - started) / 1000).toFixed(1)} s` +
          (skipped > 0 ? ` (${skipped} left for a later term loaded meanwhile)` : '') +
          `; worked out the figures of ${warmed} earlier terms of the same years.`,
      );
    }
  }

  /**
   * After the current packs, the same academic year's earlier terms of those schools: their
   * figures are worked out and kept (not stored as packs: no return of theirs has just loaded), so
   * an officer looking back through the year opens them at once too. Stops when another load
   * arrives (its packs come first; they are warmed after them).
   */
  private async warmEarlierTerms(jobs: readonly PackJob[], contexts: Map<string, Promise<TermComparisonContext>>): Promise<number> {
    let warmed = 0;
    for (const job of jobs) {
      for (const term of TERMS.slice(0, TERMS.indexOf(job.term as Term))) {
        if (this.queued.size > 0 || this.closing) return warmed;
        await new Promise((resolve) => setImmediate(resolve));
        const key = `${job.laCode} ${termKey(job.academicYear, term)}`;
        try {
          const school = await this.repository.school(job.urn);
          if (!contexts.has(key)) contexts.set(key, this.benchmarks.termComparisonContext(job.laCode, job.academicYear, term));
          const scope = systemJobScope(TSM_PACK_JOB, job.laCode, 'wholeLa', utcToday());
          await this.build(scope, { ...school, laCode: school.laCode ?? job.laCode }, { urn: job.urn, academicYear: job.academicYear, term }, await contexts.get(key)!);
          warmed += 1;
        } catch (error) {
          TsmService.logger.warn(`The figures of URN ${job.urn} for ${termKey(job.academicYear, term)} were not worked out ahead: ${(error as Error).message}`);
        }
      }
    }
    return warmed;
  }

  private async buildAndStore(job: PackJob, context: TermComparisonContext): Promise<void> {
    const school = await this.repository.school(job.urn);
    // The return's own LA: a school the school list places elsewhere is still the loading LA's.
    const scope = systemJobScope(TSM_PACK_JOB, job.laCode, 'wholeLa', utcToday());
    const pack = await this.build(scope, { ...school, laCode: school.laCode ?? job.laCode }, { urn: job.urn, academicYear: job.academicYear, term: job.term }, context);
    await this.audit.recordAs(systemJobActor(scope), {
      action: 'tsm.pack.build',
      outcome: 'ok',
      objectType: 'school',
      objectId: String(job.urn),
      childUpns: pack.pupils.map((p) => p.upn),
      details: { academicYear: job.academicYear, term: job.term, pupils: pack.pupils.length, builtAfterLoad: job.submissionId },
    });
    await this.repository.savePack({ laCode: job.laCode, sourceSubmissionId: job.submissionId, returnLoadedAt: job.submittedAt, pack });
  }

  private validTerm(academicYear: string, term: string): asserts term is Term {
    const m = ACADEMIC_YEAR.exec(academicYear);
    if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2]) || !TERMS.includes(term as Term)) {
      throw new TsmException(TsmExceptionCode.TERM_INVALID, 'Give an academic year like 2024/25 and a term: autumn, spring or summer.');
    }
  }

  private async coveredSchool(access: RequestAccess, urn: number) {
    if (!Number.isInteger(urn) || urn <= 0) throw new TsmException(TsmExceptionCode.URN_INVALID, 'A URN is a whole number.');
    const school = await this.repository.school(urn);
    if (!access.scope.coversSchool(urn, school.laCode)) {
      throw new TsmException(TsmExceptionCode.SCHOOL_NOT_COVERED, 'You do not have access to this school.');
    }
    return school;
  }

  /**
   * The pack of a school for a term: its warehouse figures as kept from the last build when the
   * warehouse is unchanged since (and it is the same day), else worked out now and kept; the
   * meetings' actions merged in on every read, so a later return or an action recorded since shows
   * at once. With what was stored when the term's return loaded (audited with every child on it).
   */
  async pack(access: RequestAccess, args: { urn: number; academicYear: string; term: string }, action: 'tsm.pack.read' | 'tsm.pack.export' = 'tsm.pack.read'): Promise<TsmPack> {
    access.scope.requirePupilLevel();
    this.validTerm(args.academicYear, args.term);
    const school = await this.coveredSchool(access, args.urn);
    const [pack, stored] = await Promise.all([
      this.currentPack(access.scope, school, { urn: args.urn, academicYear: args.academicYear, term: args.term }),
      this.repository.storedPacks({ urns: [args.urn], academicYear: args.academicYear, term: args.term }),
    ]);
    await this.audit.record(access, {
      action,
      outcome: 'ok',
      objectType: 'school',
      objectId: String(args.urn),
      childUpns: pack.pupils.map((p) => p.upn),
      details: { academicYear: args.academicYear, term: args.term, pupils: pack.pupils.length },
    });
    return { ...pack, stored: stored.get(args.urn) ?? null };
  }

  /** Earlier actions of the school, up to the pack's term (PostgreSQL: read on every pack). */
  private async earlierActions(urn: number, academicYear: string, term: Term): Promise<TsmActionRecord[]> {
    const packIndex = termIndex(academicYear, term);
    return (await this.repository.actions({ urns: [urn] })).filter((a) => termIndex(a.academicYear, a.term) <= packIndex);
  }

  /** The pack from the kept figures when they are current and hold what the actions need, else {@link build}. */
  private async currentPack(scope: AccessScope, school: { name: string | null; laCode: string | null }, args: { urn: number; academicYear: string; term: Term }): Promise<TsmPack> {
    const version = this.repository.warehouseVersion();
    const [earlier, kept] = await Promise.all([
      this.earlierActions(args.urn, args.academicYear, args.term),
      version === null ? null : this.repository.currentFigures({ ...args, warehouseVersion: version, builtOn: scope.today }),
    ]);
    if (kept === null || !holdsActions(kept, earlier)) return this.build(scope, school, args, undefined, { version, earlier });
    const coversLa = school.laCode !== null && scope.coversLa(school.laCode);
    const comparisons =
      kept.comparisonsFor.laCode === school.laCode && kept.comparisonsFor.coversLa === coversLa
        ? kept.comparisons
        : await this.comparisons(scope, school, args);
    return this.assemble(scope.today, school, args, { ...kept, comparisons }, earlier);
  }

  /** The school against similar schools, its LA and England, for the scope (small groups withheld unless it covers the LA). */
  private async comparisons(scope: AccessScope, school: { name: string | null; laCode: string | null }, args: { urn: number; academicYear: string; term: Term }, context?: TermComparisonContext): Promise<TsmComparison[]> {
    if (school.laCode === null) return [];
    const ctx = context ?? (await this.benchmarks.termComparisonContext(school.laCode, args.academicYear, args.term));
    return packComparisons(this.benchmarks.schoolTermComparison(scope, args.urn, ctx), school.name ?? `URN ${args.urn}`, 'Local authority');
  }

  /**
   * Builds a pack with a scope that covers the school (checked by the caller): works out its
   * warehouse figures, keeps them (with the warehouse version read before the queries) and merges
   * the actions in.
   */
  private async build(
    scope: AccessScope,
    school: { name: string | null; laCode: string | null },
    args: { urn: number; academicYear: string; term: Term },
    context?: TermComparisonContext,
    known?: { version: string | null; earlier: TsmActionRecord[] },
  ): Promise<TsmPack> {
    const version = known ? known.version : this.repository.warehouseVersion();
    const earlier = known?.earlier ?? (await this.earlierActions(args.urn, args.academicYear, args.term));
    const figures = await this.figures(scope, school, args, earlier, context);
    if (version !== null) await this.repository.saveFigures({ ...args, warehouseVersion: version, builtOn: scope.today, figures });
    return this.assemble(scope.today, school, args, figures, earlier);
  }

  /** The warehouse part of a pack: every query of the pack's DuckDB work is here. */
  private async figures(
    scope: AccessScope,
    school: { name: string | null; laCode: string | null },
    args: { urn: number; academicYear: string; term: Term },
    earlier: readonly TsmActionRecord[],
    context?: TermComparisonContext,
  ): Promise<TsmPackFigures> {
    const prev = previousTerm(args.academicYear, args.term);
    const keys = [...new Set([termKey(args.academicYear, args.term), termKey(prev.academicYear, prev.term), ...earlier.map((a) => termKey(a.academicYear, a.term))])];
    const period = termDates(args.academicYear, args.term);
    const [rows, markRows, comparisons] = await Promise.all([
      this.repository.pupilTerms(scope, { urn: args.urn, terms: keys, on: scope.today }),
      this.repository.pupilMarks(scope, { urn: args.urn, from: period.start, to: period.end }),
      this.comparisons(scope, school, args, context),
    ]);
    const triggers = new Map<string, { penaltyNotice: { metOn: string | null }; unauthorised10Days: { metOn: string | null } }>();
    const patterns = new Map<string, { label: string; sessions: number }[]>();
    for (const r of markRows) {
      const upn = String(r.upn);
      if (r.kind === 'trigger') {
        const metOn = (v: unknown) => (v == null ? null : String(v));
        triggers.set(upn, { penaltyNotice: { metOn: metOn(r.penalty_notice_met_on) }, unauthorised10Days: { metOn: metOn(r.unauthorised_10_days_met_on) } });
      } else {
        const list = patterns.get(upn) ?? [];
        list.push({ label: `${WEEKDAYS[Number(r.weekday)] ?? r.weekday} ${r.session === 'PM' ? 'afternoon' : 'morning'}`, sessions: Number(r.overall_absence) });
        patterns.set(upn, list);
      }
    }

    // Rows by pupil, then by term (summed over any duplicate rows of a term).
    const byPupil = new Map<string, Map<string, WarehouseRow[]>>();
    for (const row of rows) {
      const upn = String(row.pupil_upn);
      const key = termKey(String(row.academic_year), String(row.term));
      let terms = byPupil.get(upn);
      if (!terms) byPupil.set(upn, (terms = new Map()));
      terms.set(key, [...(terms.get(key) ?? []), row]);
    }
    const termCounts = (upn: string, key: string): SessionCounts | null => {
      const list = byPupil.get(upn)?.get(key);
      return list ? sessionCounts(aggregate(list.map(counts))) : null;
    };

    const withActions = new Set(earlier.flatMap((a) => (a.upn ? [a.upn] : [])));
    const currentKey = termKey(args.academicYear, args.term);
    const prevKey = termKey(prev.academicYear, prev.term);
    const upns: string[] = [];
    const pupils: TsmFiguresPupil[] = [];
    const currentRows: WarehouseRow[] = [];
    for (const [upn, terms] of byPupil) {
      const list = terms.get(currentKey);
      if (!list) continue;
      upns.push(upn);
      const row = list[list.length - 1]!;
      currentRows.push(row);
      const now = aggregate(list.map(counts));
      const before = termCounts(upn, prevKey);
      const membership = tsmMembership({ counts: now, previous: before, ...triggers.get(upn) });
      // Pupils off the pack are kept only when they have actions (a new action for another sends the read to the warehouse).
      if (membership.group === null && !withActions.has(upn)) continue;
      const forename = row.forename == null ? null : String(row.forename);
      pupils.push({
        upn,
        forename,
        surname: row.surname == null ? null : String(row.surname),
        ncYear: row.nc_year == null ? null : String(row.nc_year),
        group: membership.group,
        reasons: [...membership.reasons],
        possibleSessions: now.possibleSessions,
        overallAbsence: now.overallAbsence,
        unauthorisedAbsence: now.unauthorisedAbsence,
        daysMissed: now.overallAbsence / 2,
        attendancePerc: rates(now).attendancePerc,
        previousAttendancePerc: before ? rates(before).attendancePerc : null,
        trend: membership.trend?.direction ?? 'insufficient',
        mainReasons: mainReasons(row),
        flags: flags(row),
        pattern: (patterns.get(upn) ?? [])
          .sort((a, b) => b.sessions - a.sessions || a.label.localeCompare(b.label))
          .slice(0, 3)
          .map((c) => `${c.label}: ${c.sessions} ${c.sessions === 1 ? 'session' : 'sessions'}`),
        familySummary: familySummary(now, { name: forename ?? undefined, period: `this ${args.term} term` }),
        counts: Object.fromEntries(keys.flatMap((key) => {
          const c = termCounts(upn, key);
          return c ? [[key, c]] : [];
        })),
      });
    }

    const cohorts: TsmCohortRow[] = COHORTS.map(({ label, test }) => {
      const members = currentRows.filter(test).map(counts);
      return {
        cohort: label,
        pupils: members.length,
        attendancePerc: rates(aggregate(members)).attendancePerc,
        persistentPerc: enrolmentRates(members).persistentAbsencePerc,
      };
    }).filter((c) => c.pupils > 0);

    return {
      terms: keys,
      upns,
      pupils,
      cohorts,
      comparisons,
      comparisonsFor: { laCode: school.laCode, coversLa: school.laCode !== null && scope.coversLa(school.laCode) },
    };
  }

  /** The pack from its warehouse figures and the earlier actions (PostgreSQL), as of `today`. */
  private assemble(
    today: string,
    school: { name: string | null },
    args: { urn: number; academicYear: string; term: Term },
    figures: TsmPackFigures,
    earlier: readonly TsmActionRecord[],
  ): TsmPack {
    const packIndex = termIndex(args.academicYear, args.term);
    const currentKey = termKey(args.academicYear, args.term);
    const held = new Map(figures.pupils.map((p) => [p.upn, p]));
    const followUp = (a: TsmActionRecord): TsmActionFollowUp => {
      const later = termIndex(a.academicYear, a.term) < packIndex;
      const counts = a.upn ? held.get(a.upn)?.counts : undefined;
      const before = counts?.[termKey(a.academicYear, a.term)] ?? null;
      const after = later ? (counts?.[currentKey] ?? null) : null;
      return { ...a, impact: before ? actionImpact(before, after) : null, overdue: isReviewOverdue(a, today) };
    };
    const pupils: TsmPackPupil[] = [];
    for (const { counts: _counts, ...pupil } of figures.pupils) {
      const actions = earlier.filter((a) => a.upn === pupil.upn).map(followUp);
      if (pupil.group === null && actions.length === 0) continue;
      pupils.push({ ...pupil, actions });
    }
    const order = { severe: 0, persistent: 1, atRisk: 2 } as const;
    pupils.sort((a, b) => (a.group === null ? 3 : order[a.group]) - (b.group === null ? 3 : order[b.group]) || (a.attendancePerc ?? 0) - (b.attendancePerc ?? 0));

    return {
      urn: args.urn,
      schoolName: school.name,
      academicYear: args.academicYear,
      term: args.term,
      generatedOn: today,
      pupils,
      cohorts: figures.cohorts,
      comparisons: figures.comparisons,
      cohortActions: earlier.filter((a) => a.cohort !== null).map(followUp),
    };
  }

  /** Records a meeting and its actions (audited, naming the children with actions). */
  async recordMeeting(access: RequestAccess, input: RecordMeetingInput): Promise<{ meetingId: string; actionIds: string[] }> {
    if (!MEETING_ROLES.includes(access.scope.role)) throw new TsmException(TsmExceptionCode.ROLE_NOT_PERMITTED, 'Your role cannot record targeting support meetings.');
    this.validTerm(input.academicYear, input.term);
    const school = await this.coveredSchool(access, input.urn);
    const problems: string[] = [];
    if (!ISO_DATE.test(input.meetingDate)) problems.push('The meeting date must be a date like 2025-01-15.');
    if (input.attendees.length === 0) problems.push('List at least one attendee.');
    for (const a of input.attendees) if (!a.name.trim() || !a.role.trim()) problems.push('Every attendee needs a name and a role.');
    const actions: NewAction[] = input.actions.map((a, i) => {
      const n = i + 1;
      const upn = a.upn ? a.upn.trim().toUpperCase() : null;
      const cohort = a.cohort?.trim() || null;
      if ((upn === null) === (cohort === null)) problems.push(`Action ${n}: choose a pupil or a cohort.`);
      if (upn !== null && !UPN.test(upn)) problems.push(`Action ${n}: the UPN is not valid.`);
      if (!TSM_TIERS.includes(a.tier)) problems.push(`Action ${n}: choose a tier.`);
      if (!(a.actionType in TSM_ACTION_TYPES)) problems.push(`Action ${n}: choose an action type.`);
      if (!a.owner?.trim()) problems.push(`Action ${n}: say who owns the action.`);
      if (a.reviewDate && !ISO_DATE.test(a.reviewDate)) problems.push(`Action ${n}: the review date must be a date like 2025-02-05.`);
      return {
        upn,
        cohort,
        tier: a.tier as TsmTier,
        actionType: a.actionType as TsmActionType,
        owner: a.owner?.trim() ?? '',
        reviewDate: a.reviewDate || defaultReview(input.meetingDate),
        notes: a.notes?.trim() || null,
      };
    });
    if (problems.length > 0) throw new TsmException(TsmExceptionCode.MEETING_INVALID, problems.join(' '));
    const created = await this.repository.createMeeting({
      urn: input.urn,
      laCode: school.laCode,
      academicYear: input.academicYear,
      term: input.term,
      meetingDate: input.meetingDate,
      attendees: input.attendees.map((a) => ({ name: a.name.trim(), role: a.role.trim(), organisation: a.organisation })),
      notes: input.notes?.trim() || null,
      createdBy: access.scope.user.id,
      actions,
    });
    await this.audit.record(access, {
      action: 'tsm.meeting.create',
      outcome: 'ok',
      objectType: 'tsm_meeting',
      objectId: created.meetingId,
      childUpns: actions.flatMap((a) => (a.upn ? [a.upn] : [])),
      details: { urn: input.urn, academicYear: input.academicYear, term: input.term, actions: actions.length },
    });
    return created;
  }

  /** Changes an action's status, review date or notes (audited). */
  async updateAction(access: RequestAccess, id: string, change: { status?: TsmActionStatus | null; reviewDate?: string | null; notes?: string | null }): Promise<TsmActionRecord> {
    if (!MEETING_ROLES.includes(access.scope.role)) throw new TsmException(TsmExceptionCode.ROLE_NOT_PERMITTED, 'Your role cannot change actions.');
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await this.repository.action(id) : null;
    if (!found || !access.scope.coversSchool(found.urn, found.laCode)) throw new TsmException(TsmExceptionCode.ACTION_NOT_FOUND, 'No such action.');
    if (change.status && !TSM_ACTION_STATUSES.includes(change.status)) throw new TsmException(TsmExceptionCode.MEETING_INVALID, 'Status must be open, done or dropped.');
    if (change.reviewDate && !ISO_DATE.test(change.reviewDate)) throw new TsmException(TsmExceptionCode.MEETING_INVALID, 'The review date must be a date like 2025-02-05.');
    await this.repository.updateAction(id, { status: change.status ?? undefined, reviewDate: change.reviewDate ?? undefined, notes: change.notes === undefined ? undefined : change.notes });
    await this.audit.record(access, {
      action: 'tsm.action.update',
      outcome: 'ok',
      objectType: 'tsm_action',
      objectId: id,
      childUpns: found.upn ? [found.upn] : [],
      details: { from: { status: found.status, reviewDate: found.reviewDate }, to: change },
    });
    return (await this.repository.action(id))!;
  }

  /** Actions of the schools the user covers, oldest first, flagged when their review is overdue. */
  async actionTracker(access: RequestAccess, args: { overdueOnly: boolean }): Promise<(TsmActionRecord & { urn: number; overdue: boolean })[]> {
    if (!MEETING_ROLES.includes(access.scope.role)) throw new TsmException(TsmExceptionCode.ROLE_NOT_PERMITTED, 'Your role cannot see targeting support meetings.');
    const scope = access.scope;
    const filter = scope.wholeLa ? { laCode: scope.wholeLa } : { urns: [...scope.urns] };
    const rows = (await this.repository.actions({ ...filter, status: 'open' })).map((a) => ({ ...a, overdue: isReviewOverdue(a, scope.today) }));
    return args.overdueOnly ? rows.filter((a) => a.overdue) : rows;
  }

  /** Meetings of the user's schools for a term, with open and overdue actions per school. */
  async planner(access: RequestAccess, args: { academicYear: string; term: string }): Promise<PlannerRow[]> {
    if (!MEETING_ROLES.includes(access.scope.role)) throw new TsmException(TsmExceptionCode.ROLE_NOT_PERMITTED, 'Your role cannot see targeting support meetings.');
    this.validTerm(args.academicYear, args.term);
    const scope = access.scope;
    const filter = scope.wholeLa ? { laCode: scope.wholeLa } : { urns: [...scope.urns] };
    const [schools, meetings, open, stored] = await Promise.all([
      this.repository.schoolsWithReturns({ laCode: scope.wholeLa ?? scope.user.laCode, urns: scope.wholeLa ? null : [...scope.urns], academicYear: args.academicYear, term: args.term }),
      this.repository.meetings({ ...filter, academicYear: args.academicYear, term: args.term }),
      this.repository.actions({ ...filter, status: 'open' }),
      this.repository.storedPacks({ ...filter, academicYear: args.academicYear, term: args.term }),
    ]);
    const latest = new Map<number, MeetingRow>();
    for (const m of meetings) if (!latest.has(m.urn)) latest.set(m.urn, m);
    return schools.map((s) => {
      const mine = open.filter((a) => a.urn === s.urn);
      const m = latest.get(s.urn);
      return {
        urn: s.urn,
        name: s.name,
        meetingDate: m?.meetingDate ?? null,
        meetingId: m?.id ?? null,
        openActions: mine.length,
        overdueActions: mine.filter((a) => isReviewOverdue(a, scope.today)).length,
        storedPack: stored.get(s.urn) ?? null,
      };
    });
  }
}

function defaultReview(meetingDate: string): string {
  return ISO_DATE.test(meetingDate) ? defaultReviewDate(meetingDate) : meetingDate;
}
