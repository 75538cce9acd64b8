import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The submission history: every input loaded (by upload or from the command line), who sent it,
 * when, its hash, what became of it and the full report. Written once, never changed.
 */
export class Submissions1764300000000 implements MigrationInterface {
  name = 'Submissions1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE submissions (
        id uuid PRIMARY KEY,
        submitted_at timestamptz NOT NULL,
        submitted_by varchar(320) NOT NULL,
        via varchar(16) NOT NULL CHECK (via IN ('cli', 'upload')),
        kind varchar(64) NOT NULL,
        source text NOT NULL,
        file_hash char(64) NULL,
        stored_path text NULL,
        urn integer NULL,
        la_code varchar(3) NULL,
        academic_year varchar(7) NULL,
        term varchar(6) NULL,
        status varchar(8) NOT NULL CHECK (status IN ('loaded', 'rejected')),
        pupils integer NOT NULL DEFAULT 0,
        marks integer NOT NULL DEFAULT 0,
        errors integer NOT NULL DEFAULT 0,
        warnings integer NOT NULL DEFAULT 0,
        problems jsonb NOT NULL DEFAULT '[]',
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX submissions_school ON submissions (urn, academic_year, term, submitted_at DESC)`);
    await queryRunner.query(`CREATE INDEX submissions_when ON submissions (submitted_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE submissions`);
  }
}
