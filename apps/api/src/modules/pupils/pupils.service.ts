import { Injectable } from '@nestjs/common';
import { absenceBand, daysMissed, isPersistentAbsentee, isSevereAbsentee, ratePct, type SessionCounts } from '@rollbook/metrics';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { AuditService } from '../audit/audit.service.js';
import type { RequestAccess } from '../access/request-access.js';
import type { WarehouseRow } from '../../warehouse/warehouse.service.js';
import { MetricScope } from '../attendance/models/metric-scope.enum.js';
import { toCsv } from './csv.js';
import type { Pupil, PupilAttendance, PupilTerm, SchoolPupils } from './models/pupil.model.js';
import { PupilsException, PupilsExceptionCode } from './pupils.exception.js';
import { PupilsRepository } from './pupils.repository.js';

const ACADEMIC_YEAR = /^\d{4}\/\d{2}$/;
/** A UPN: a check letter and 12 digits, or a temporary UPN ending in a letter (DfE UPN guidance). */
const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;

function counts(row: WarehouseRow): SessionCounts {
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    possibleSessions: n('possible_sessions'),
    presentSessions: n('present_sessions'),
    approvedEducationalActivity: n('approved_educational_activity'),
    authorisedAbsence: n('authorised_absence'),
    unauthorisedAbsence: n('unauthorised_absence'),
    overallAbsence: n('overall_absence'),
    lateSessions: n('late_sessions'),
  };
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/**
 * Named children's attendance: a school's pupil list (GraphQL and CSV), one child's terms, and
 * enrolment rows in bulk (Arrow). Everything is read through the request's scope, and every
 * read is written to the audit log, naming the children read, before the data is returned.
 */
@Injectable()
export class PupilsService {
  constructor(
    private readonly repository: PupilsRepository,
    private readonly audit: AuditService,
  ) {}

  async schoolPupils(
    access: RequestAccess,
    args: { urn: number; academicYear?: string | null; scope: MetricScope },
    action: 'school_pupils.read' | 'school_pupils.export' = 'school_pupils.read',
  ): Promise<SchoolPupils> {
    access.scope.requirePupilLevel();
    if (!Number.isInteger(args.urn) || args.urn <= 0) throw new PupilsException(PupilsExceptionCode.URN_INVALID, 'A URN is a whole number.');
    const academicYear = await this.resolveYear(args.academicYear);
    const [rows, school] = await Promise.all([
      this.repository.schoolPupils(access.scope, { urn: args.urn, academicYear, metricScope: args.scope }),
      this.repository.school(args.urn),
    ]);
    const pupils = rows.map(toPupilAttendance);
    await this.audit.record(access, {
      action,
      outcome: 'ok',
      objectType: 'school',
      objectId: String(args.urn),
      childUpns: pupils.map((p) => p.upn),
      details: { academicYear, scope: args.scope, pupils: pupils.length },
    });
    return { urn: args.urn, schoolName: school.name, academicYear, scope: args.scope, pupils };
  }

  /** The school's pupil list as CSV (audited as an export). */
  async schoolPupilsCsv(access: RequestAccess, args: { urn: number; academicYear?: string | null; scope: MetricScope }) {
    const list = await this.schoolPupils(access, args, 'school_pupils.export');
    const csv = toCsv(
      ['urn', 'upn', 'forename', 'surname', 'nc_year', 'possible_sessions', 'authorised_absence', 'unauthorised_absence',
        'overall_absence', 'days_missed', 'overall_absence_perc', 'absence_band', 'persistent_absentee', 'severe_absentee'],
      list.pupils.map((p) => [list.urn, p.upn, p.forename, p.surname, p.ncYear, p.possibleSessions, p.authorisedAbsence,
        p.unauthorisedAbsence, p.overallAbsence, p.daysMissed,
        p.overallAbsenceRate === null ? null : Math.round(p.overallAbsenceRate * 100) / 100,
        p.absenceBand, p.persistentAbsentee, p.severeAbsentee]),
    );
    const filename = `pupils-${list.urn}-${list.academicYear.replace('/', '-')}-${list.scope}.csv`;
    return { csv, filename };
  }

  /** A named child, or null when they are unknown or outside the scope (the same answer for both). */
  async pupil(access: RequestAccess, rawUpn: string): Promise<Pupil | null> {
    access.scope.requirePupilLevel();
    const upn = rawUpn.trim().toUpperCase();
    if (!UPN.test(upn)) throw new PupilsException(PupilsExceptionCode.UPN_INVALID, 'A UPN is a letter followed by 12 characters, like A123456789012.');
    const [terms, details] = await Promise.all([this.repository.pupilTerms(access.scope, upn), this.repository.pupilDetails(access.scope, upn)]);
    const found = terms.length > 0 || details !== null;
    await this.audit.record(access, {
      action: 'pupil.read',
      outcome: found ? 'ok' : 'not_found',
      objectType: 'pupil',
      objectId: upn,
      childUpns: [upn],
    });
    if (!found) return null;
    return {
      upn,
      forename: text(details?.forename),
      surname: text(details?.surname),
      dateOfBirth: details?.dob instanceof Date ? details.dob.toISOString().slice(0, 10) : text(details?.dob),
      terms: terms.map(toPupilTerm),
    };
  }

  /** Enrolment × term rows of a year (optionally one school) as an Arrow IPC stream. */
  async enrolmentsArrow(access: RequestAccess, args: { academicYear?: string | null; urn: number | null }): Promise<Uint8Array> {
    access.scope.requirePupilLevel();
    const academicYear = await this.resolveYear(args.academicYear);
    const { names, columns } = await this.repository.enrolmentColumns(access.scope, { academicYear, urn: args.urn });
    const data: Record<string, unknown[]> = {};
    names.forEach((name, i) => (data[name] = columns[i]!));
    const upnIndex = names.indexOf('upn');
    await this.audit.record(access, {
      action: 'enrolments.bulk',
      outcome: 'ok',
      objectType: args.urn === null ? 'academic_year' : 'school',
      objectId: args.urn === null ? academicYear : String(args.urn),
      childUpns: (columns[upnIndex] ?? []).map((u) => String(u).toUpperCase()),
      details: { academicYear, rows: columns[0]?.length ?? 0 },
    });
    return tableToIPC(tableFromArrays(arrowColumns(names, columns)), 'stream');
  }

  private async resolveYear(requested: string | null | undefined): Promise<string> {
    if (requested && !ACADEMIC_YEAR.test(requested)) {
      throw new PupilsException(PupilsExceptionCode.ACADEMIC_YEAR_INVALID, `Academic year must be written like 2024/25, not "${requested.slice(0, 20)}".`);
    }
    const years = await this.repository.academicYears();
    if (years.length === 0) throw new PupilsException(PupilsExceptionCode.NO_DATA_LOADED, 'No attendance data has been loaded yet.');
    if (!requested) return years[0]!;
    if (!years.includes(requested)) {
      throw new PupilsException(PupilsExceptionCode.ACADEMIC_YEAR_NOT_LOADED, `No attendance data is loaded for ${requested}.`);
    }
    return requested;
  }
}

/** Typed Arrow columns: counts as Int32, everything else as UTF-8 (no guessing per value). */
function arrowColumns(names: string[], columns: unknown[][]): Record<string, Int32Array | string[]> {
  const out: Record<string, Int32Array | string[]> = {};
  names.forEach((name, i) => {
    const values = columns[i] ?? [];
    out[name] =
      name === 'urn' || name.endsWith('_sessions') || name.endsWith('_absence') || name === 'approved_educational_activity'
        ? Int32Array.from(values, (v) => Number(v ?? 0))
        : values.map((v) => (v === null || v === undefined ? '' : String(v)));
  });
  return out;
}

/** The session counts every child-level figure carries, and the days they make. */
function childSessionCounts(c: SessionCounts): Pick<PupilTerm, 'possibleSessions' | 'authorisedAbsence' | 'unauthorisedAbsence' | 'overallAbsence' | 'daysMissed'> {
  return {
    possibleSessions: c.possibleSessions,
    authorisedAbsence: c.authorisedAbsence,
    unauthorisedAbsence: c.unauthorisedAbsence,
    overallAbsence: c.overallAbsence,
    daysMissed: daysMissed(c),
  };
}

function toPupilAttendance(row: WarehouseRow): PupilAttendance {
  const c = counts(row);
  return {
    upn: String(row.upn),
    forename: text(row.forename),
    surname: text(row.surname),
    ncYear: text(row.nc_year),
    ...childSessionCounts(c),
    overallAbsenceRate: ratePct(c.overallAbsence, c.possibleSessions),
    absenceBand: absenceBand(c),
    persistentAbsentee: isPersistentAbsentee(c),
    severeAbsentee: isSevereAbsentee(c),
  };
}

function toPupilTerm(row: WarehouseRow): PupilTerm {
  const c = counts(row);
  return {
    academicYear: String(row.academic_year),
    term: String(row.term),
    urn: Number(row.urn),
    schoolName: text(row.school_name),
    ncYear: text(row.nc_year),
    ...childSessionCounts(c),
    attendanceRate: ratePct(c.presentSessions + c.approvedEducationalActivity, c.possibleSessions),
  };
}
