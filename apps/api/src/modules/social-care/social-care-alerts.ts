import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SubmissionRecord } from '@rollbook/etl';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { systemJobScope } from '../access/access-scope.js';
import { utcToday } from '../access/scope.factory.js';
import { AlertMailer, type AlertDigest } from './alert-mail.js';
import { childAttendanceOfRows } from './child-attendance.js';
import { SocialCareRepository, type ComputedAlert } from './social-care.repository.js';

/** Children's marks are read this many at a time, so one LA's computation never holds the warehouse long. */
const CHILDREN_PER_READ = 500;
const JOB = 'social-care-alerts';

/** The days of an academic year (`2024/25` → 2024-08-01 to 2025-07-31). */
export function academicYearDays(academicYear: string): { from: string; to: string } {
  const start = Number(academicYear.slice(0, 4));
  return { from: `${start}-08-01`, to: `${start + 1}-07-31` };
}

/** What one LA's computation found. */
export interface AlertsRefresh {
  laCode: string;
  academicYears: string[];
  children: number;
  /** Concerns the data shows now. */
  alerts: number;
  /** Of those, first detected by this computation. */
  added: ComputedAlert[];
  emailsSent: number;
  durationMs: number;
}

/**
 * Social care concerns worked out whenever data loads, not when a page is opened: after each
 * filed batch, every LA whose children the batch may concern (its own returns and social care
 * files, and schools where its children are placed) is queued, and one computation per LA runs
 * in the background over every child it follows (caseloads and the virtual school), as a system
 * job. New concerns are stored with when they were first detected; pages read them. With SMTP
 * configured, each social worker and the virtual school get one digest of counts per computation.
 */
@Injectable()
export class SocialCareAlerts implements OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly logger = new Logger('SocialCareAlerts');
  /** LA → academic years asked for besides the newest, waiting for the next computation. */
  private readonly queued = new Map<string, Set<string>>();
  /** Every background step, one after another. */
  private chain: Promise<void> = Promise.resolve();
  private drainQueued = false;
  private closing = false;
  private readonly mailer: AlertMailer;
  /** Results of the computations since start, newest last (the last 50: for tests and logs). */
  readonly recent: AlertsRefresh[] = [];

  constructor(
    private readonly repository: SocialCareRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.mailer = new AlertMailer(config.mail);
  }

  /** On start, every LA with social care records is brought up to date (data loaded before this version, or while stopped). */
  onApplicationBootstrap(): void {
    this.background(async () => this.enqueue(await this.repository.alertLas({ all: true, laCodes: [], urns: [] }), []));
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.queued.clear();
    await this.idle();
    this.mailer.close();
  }

  /** The load listener: queues the LAs the filed records touch and returns at once. */
  afterLoad(records: readonly SubmissionRecord[]): void {
    const laCodes = [...new Set(records.flatMap((r) => (r.laCode ? [r.laCode] : [])))];
    const urns = [...new Set(records.flatMap((r) => (r.urn !== null ? [r.urn] : [])))];
    const years = [...new Set(records.flatMap((r) => (r.academicYear ? [r.academicYear] : [])))];
    this.background(async () => this.enqueue(await this.repository.alertLas({ all: false, laCodes, urns }), years));
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private background(step: () => Promise<void>): void {
    if (this.closing) return;
    this.chain = this.chain.then(step).catch((error: Error) => SocialCareAlerts.logger.error(`Social care alerts: ${error.message}`));
  }

  /** Batches filed while a computation runs are gathered: each LA is then worked out once. */
  private enqueue(laCodes: readonly string[], years: readonly string[]): void {
    for (const la of laCodes) {
      const set = this.queued.get(la) ?? new Set<string>();
      for (const y of years) set.add(y);
      this.queued.set(la, set);
    }
    if (laCodes.length > 0 && !this.drainQueued) {
      this.drainQueued = true;
      this.background(() => this.drain());
    }
  }

  private async drain(): Promise<void> {
    this.drainQueued = false;
    while (this.queued.size > 0 && !this.closing) {
      const [la, years] = this.queued.entries().next().value as [string, Set<string>];
      this.queued.delete(la);
      try {
        const result = await this.refresh(la, [...years]);
        this.recent.push(result);
        if (this.recent.length > 50) this.recent.shift();
        SocialCareAlerts.logger.log(
          `LA ${la}: ${result.children} children followed, ${result.alerts} concerns, ${result.added.length} new, in ${result.durationMs} ms` +
            (result.emailsSent ? `, ${result.emailsSent} emails sent` : ''),
        );
      } catch (error) {
        SocialCareAlerts.logger.error(`Social care alerts for LA ${la} failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Works out the concerns of every child LA `laCode` follows today, for the newest academic year
   * loaded and `alsoYears`, stores them and sends the digests. Runs now (the queue calls it).
   */
  async refresh(laCode: string, alsoYears: readonly string[] = [], today: string = utcToday()): Promise<AlertsRefresh> {
    const started = Date.now();
    const loaded = await this.repository.academicYears();
    const academicYears = [...new Set([...loaded.slice(0, 1), ...alsoYears.filter((y) => loaded.includes(y))])];
    const upns = await this.repository.childrenFollowed(laCode, today);
    const scope = systemJobScope(JOB, laCode, { upns }, today);
    const added: ComputedAlert[] = [];
    let total = 0;
    for (const year of academicYears) {
      const found: ComputedAlert[] = [];
      for (let i = 0; i < scope.upns.length; i += CHILDREN_PER_READ) {
        const chunk = scope.upns.slice(i, i + CHILDREN_PER_READ);
        const [marks, suspensions] = await Promise.all([this.repository.marks(scope, chunk, year), this.repository.suspensions(scope, chunk, year)]);
        const marksBy = byUpn(marks);
        const suspensionsBy = byUpn(suspensions);
        for (const upn of chunk) {
          const { alerts } = childAttendanceOfRows(marksBy.get(upn) ?? [], suspensionsBy.get(upn) ?? [], true);
          for (const a of alerts) found.push({ upn, kind: a.kind, date: a.date, message: a.message });
        }
      }
      const days = academicYearDays(year);
      added.push(...(await this.repository.recordAlerts(laCode, scope.upns, days.from, days.to, found)));
      total += found.length;
    }
    const emailsSent = added.length > 0 && this.mailer.enabled ? await this.email(laCode, added, scope, today) : 0;
    return { laCode, academicYears, children: scope.upns.length, alerts: total, added, emailsSent, durationMs: Date.now() - started };
  }

  /** One digest per social worker holding children with new concerns, and one for the virtual school. */
  private async email(laCode: string, added: readonly ComputedAlert[], scope: ReturnType<typeof systemJobScope>, today: string): Promise<number> {
    const [recipients, allocations, inCare] = await Promise.all([
      this.repository.alertRecipients(laCode),
      this.repository.caseload(scope, { laCode, today, workerId: null, team: null }),
      this.repository.lookedAfter(scope, { laCode, today }),
    ]);
    const countsFor = (upns: ReadonlySet<string>): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const a of added) if (upns.has(a.upn)) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
      return counts;
    };
    const digests: AlertDigest[] = [];
    for (const r of recipients.filter((u) => u.role === 'social_worker' && u.workerId !== null)) {
      const counts = countsFor(new Set(allocations.filter((a) => a.worker_id === r.workerId).map((a) => String(a.upn))));
      if (Object.keys(counts).length > 0) digests.push({ to: r.email, page: 'caseload', counts });
    }
    const vsCounts = countsFor(new Set(inCare.map((c) => String(c.upn))));
    if (Object.keys(vsCounts).length > 0) {
      const configured = this.configuredVirtualSchool(laCode);
      const to = configured.length > 0 ? configured : recipients.filter((u) => u.role === 'virtual_school').map((u) => u.email);
      for (const address of to) digests.push({ to: address, page: 'virtual-school', counts: vsCounts });
    }
    const { sent, failed } = await this.mailer.send(digests);
    for (const f of failed) SocialCareAlerts.logger.warn(`Alert email not sent: ${f.error}`);
    return sent;
  }

  private configuredVirtualSchool(laCode: string): string[] {
    return (this.config.mail?.virtualSchoolTo ?? []).filter((v) => v.laCode === null || v.laCode === laCode).map((v) => v.address);
  }
}

function byUpn(rows: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const upn = String(r.upn);
    const list = out.get(upn);
    if (list) list.push(r);
    else out.set(upn, [r]);
  }
  return out;
}
