import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dataLayout, formatProblem, loadPath, PURGE_SUBMISSION_KIND, submissionsDir, type SubmissionRecord } from '@rollbook/etl';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { AccessException, AccessExceptionCode, NOT_PERMITTED_MESSAGE } from '../access/access.exception.js';
import type { RequestAccess } from '../access/request-access.js';
import { LoadEvents } from '../../warehouse/load-events.js';
import { AuditService } from '../audit/audit.service.js';
import { Submission } from './models/submission.model.js';
import { SubmissionsException, SubmissionsExceptionCode } from './submissions.exception.js';
import { SubmissionsRepository, type SubmissionRow } from './submissions.repository.js';

/** How often the loader's queue (`submissions/pending/`) is read into PostgreSQL. */
const IMPORT_EVERY_MS = 10_000;
/** An upload waits this long for another load (uploads and the CLI load one at a time). */
const UPLOAD_LOCK_WAIT_MS = 60_000;

export interface SubmissionQuery {
  urn: number | null;
  academicYear: string | null;
  term: string | null;
  status: string | null;
  limit: number;
}

/**
 * The submission history. The loader (CLI or upload) records every input in a queue of JSON files;
 * this service moves them into PostgreSQL, where they are searched, and takes uploads of returns.
 */
@Injectable()
export class SubmissionsService implements OnModuleInit, OnModuleDestroy {
  private static readonly logger = new Logger('Submissions');
  private timer: NodeJS.Timeout | null = null;
  private importing: Promise<number> = Promise.resolve(0);

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: SubmissionsRepository,
    private readonly audit: AuditService,
    private readonly events: LoadEvents,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.importPending().catch(() => undefined), IMPORT_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads every queued record into PostgreSQL (idempotent), one import at a time. */
  importPending(): Promise<number> {
    this.importing = this.importing.then(async () => {
      const layout = dataLayout(this.config.dataDir);
      const pending = submissionsDir(layout, 'pending');
      const imported = submissionsDir(layout, 'imported');
      let names: string[];
      try {
        names = readdirSync(pending).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
      } catch {
        return 0;
      }
      mkdirSync(imported, { recursive: true });
      const filed: SubmissionRecord[] = [];
      for (const name of names) {
        try {
          const record = JSON.parse(readFileSync(path.join(pending, name), 'utf8')) as SubmissionRecord;
          await this.repository.insert(record);
          renameSync(path.join(pending, name), path.join(imported, name));
          filed.push(record);
        } catch (error) {
          SubmissionsService.logger.warn(`Could not import submission record ${name}: ${(error as Error).name}`);
        }
      }
      for (const r of filed) if (r.kind === PURGE_SUBMISSION_KIND && r.academicYear) await this.repository.forgetPupilsOf(r.academicYear);
      // What follows a load (TSM packs, social-care alerts) runs now, once per filed batch.
      await this.events.loaded(filed.filter((r) => r.status === 'loaded'));
      return filed.length;
    });
    return this.importing;
  }

  /** Schools whose submissions this user may see: every school of the LA, or their own. */
  private reach(access: RequestAccess): { urns: number[] | null; laCode: string } {
    const { scope } = access;
    if (scope.rule.wholeLa) return { urns: null, laCode: scope.user.laCode };
    if (scope.rule.ownSchool && scope.user.urn !== null) return { urns: [scope.user.urn], laCode: scope.user.laCode };
    throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, `${NOT_PERMITTED_MESSAGE} Returns are sent and checked by schools and the LA's attendance team.`);
  }

  async list(access: RequestAccess, query: SubmissionQuery): Promise<Submission[]> {
    const reach = this.reach(access);
    await this.importPending();
    const rows = await this.repository.find({ ...reach, ...query, submittedBy: access.scope.user.email, limit: Math.min(Math.max(query.limit, 1), 500) });
    return rows.map(toSubmission);
  }

  async get(access: RequestAccess, id: string): Promise<Submission> {
    const reach = this.reach(access);
    await this.importPending();
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.repository.byId(id) : null;
    // A school sees its schools' submissions, and whatever it sent itself (even for a URN refused).
    const visible =
      row !== null &&
      (reach.urns === null
        ? row.la_code === null || row.la_code === reach.laCode
        : (row.urn !== null && reach.urns.includes(row.urn)) || row.submitted_by === access.scope.user.email);
    if (!row || !visible) throw new SubmissionsException(SubmissionsExceptionCode.NOT_FOUND, 'There is no submission with that reference that you can see.');
    await this.audit.record(access, { action: 'submission.read', outcome: 'ok', objectType: 'submission', objectId: row.id });
    return toSubmission(row);
  }

  /**
   * Loads an uploaded return (.zip) as the signed-in user: a school user for their own school, the
   * LA's team for any of its schools. The report comes back whatever the outcome.
   */
  async upload(access: RequestAccess, file: { path: string; originalName: string } | undefined): Promise<Submission[]> {
    const reach = this.reach(access);
    try {
      if (!file) throw new SubmissionsException(SubmissionsExceptionCode.FILE_MISSING, 'Choose the return to send: a .zip holding pupils.csv and marks.csv.');
      if (!file.originalName.toLowerCase().endsWith('.zip')) {
        throw new SubmissionsException(SubmissionsExceptionCode.FILE_NOT_ZIP, 'Send the return as one .zip file holding pupils.csv and marks.csv (and amendments.csv, suspensions.csv if you have them).');
      }
      const layout = dataLayout(this.config.dataDir);
      // Keep the school's own file name for the history.
      const named = path.join(path.dirname(file.path), `${path.basename(file.path)}-${path.basename(file.originalName).replace(/[^\w.-]/g, '_')}`);
      renameSync(file.path, named);
      file.path = named;
      const summary = await loadPath(named, {
        layout,
        lockTimeoutMs: UPLOAD_LOCK_WAIT_MS,
        submission: { submittedBy: access.scope.user.email, via: 'upload' },
        mayLoadSchool: (urn, laCode) => (reach.urns === null ? laCode === reach.laCode : reach.urns.includes(urn)),
      });
      await this.importPending();
      const out: Submission[] = [];
      for (const report of summary.returns) {
        const row = report.submissionId ? await this.repository.byId(report.submissionId) : null;
        if (row) out.push(toSubmission(row));
      }
      await this.audit.record(access, {
        action: 'return.upload',
        outcome: out.every((s) => s.status === 'loaded') ? 'ok' : 'failed',
        objectType: 'submission',
        objectId: out[0]?.id ?? null,
        details: { returns: out.map((s) => ({ urn: s.urn, term: s.term, academicYear: s.academicYear, status: s.status, errors: s.errors })) },
      });
      return out;
    } catch (error) {
      if ((error as Error).name === 'LoadLockTimeoutError') {
        throw new SubmissionsException(SubmissionsExceptionCode.LOAD_BUSY, 'Another load is running; try again in a few minutes.');
      }
      throw error;
    } finally {
      if (file) rmSync(file.path, { force: true });
    }
  }
}

function toSubmission(row: SubmissionRow): Submission {
  const problems = (row.problems ?? []).map((p) => ({ ...p, line: p.line ?? null, column: p.column ?? null }));
  return Object.assign(new Submission(), {
    id: row.id,
    submittedAt: new Date(row.submitted_at),
    submittedBy: row.submitted_by,
    via: row.via,
    kind: row.kind,
    fileName: path.basename(row.source),
    fileHash: row.file_hash,
    urn: row.urn,
    academicYear: row.academic_year,
    term: row.term,
    status: row.status,
    pupils: row.pupils,
    marks: row.marks,
    errors: row.errors,
    warnings: row.warnings,
    problems,
    reportText: problems.length === 0 ? 'No problems found.' : problems.map(formatProblem).join('\n'),
  });
}
