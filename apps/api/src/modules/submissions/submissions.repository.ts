import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SubmissionRecord } from '@rollbook/etl';

export interface SubmissionRow {
  id: string;
  submitted_at: Date;
  submitted_by: string;
  via: string;
  kind: string;
  source: string;
  file_hash: string | null;
  urn: number | null;
  la_code: string | null;
  academic_year: string | null;
  term: string | null;
  status: string;
  pupils: number;
  marks: number;
  errors: number;
  warnings: number;
  problems: SubmissionRecord['problems'];
}

export interface SubmissionFilter {
  /** Only these schools (a school user's own); null: every school of `laCode`. */
  urns: number[] | null;
  /** Also what this person sent themselves. */
  submittedBy: string;
  laCode: string;
  urn: number | null;
  academicYear: string | null;
  term: string | null;
  status: string | null;
  limit: number;
}

@Injectable()
export class SubmissionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a record from the loader's queue; a second import of the same record changes nothing. */
  async insert(r: SubmissionRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO submissions (id, submitted_at, submitted_by, via, kind, source, file_hash, stored_path, urn, la_code,
         academic_year, term, status, pupils, marks, errors, warnings, problems)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (id) DO NOTHING`,
      [r.id, r.submittedAt, r.submittedBy, r.via, r.kind, r.source, r.fileHash || null, r.storedPath, r.urn, r.laCode,
        r.academicYear, r.term, r.status, r.rows.pupils, r.rows.marks, r.errors, r.warnings, JSON.stringify(r.problems)],
    );
  }

  /**
   * Once an academic year's registers are purged, its returns' records keep who sent what, when,
   * and the counts, but not the problem details (which quote pupils) nor the kept copy (removed).
   */
  async forgetPupilsOf(academicYear: string): Promise<void> {
    await this.dataSource.query(`UPDATE submissions SET problems = '[]', stored_path = NULL WHERE kind = 'return' AND academic_year = $1`, [academicYear]);
  }

  async find(filter: SubmissionFilter): Promise<SubmissionRow[]> {
    // Returns of the LA's schools, and LA-wide inputs (school lists, statistics) recorded for it.
    return this.dataSource.query(
      `SELECT * FROM submissions
       WHERE ($1::int[] IS NULL AND (la_code = $2 OR la_code IS NULL) OR urn = ANY($1::int[]) OR submitted_by = $8)
         AND ($3::int IS NULL OR urn = $3) AND ($4::text IS NULL OR academic_year = $4)
         AND ($5::text IS NULL OR term = $5) AND ($6::text IS NULL OR status = $6)
       ORDER BY submitted_at DESC, id
       LIMIT $7`,
      [filter.urns, filter.laCode, filter.urn, filter.academicYear, filter.term, filter.status, filter.limit, filter.submittedBy],
    );
  }

  async byId(id: string): Promise<SubmissionRow | null> {
    const rows: SubmissionRow[] = await this.dataSource.query(`SELECT * FROM submissions WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }
}
