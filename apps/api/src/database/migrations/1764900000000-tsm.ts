import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Targeting support meetings (issue 7): one row per meeting of a school for a term, and the
 * actions agreed at it, per pupil (`upn`) or per cohort. Every change is also written to the
 * audit log by the service.
 */
export class Tsm1764900000000 implements MigrationInterface {
  name = 'Tsm1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tsm_meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        urn integer NOT NULL,
        la_code varchar(3) NULL,
        academic_year varchar(7) NOT NULL CHECK (academic_year ~ '^[0-9]{4}/[0-9]{2}$'),
        term varchar(6) NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
        meeting_date date NOT NULL,
        attendees jsonb NOT NULL DEFAULT '[]'::jsonb,
        notes text NULL,
        created_by uuid NULL REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX tsm_meetings_school_idx ON tsm_meetings (urn, academic_year, term)`);
    await queryRunner.query(`CREATE INDEX tsm_meetings_la_idx ON tsm_meetings (la_code, academic_year, term)`);
    await queryRunner.query(`
      CREATE TABLE tsm_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES tsm_meetings (id) ON DELETE CASCADE,
        urn integer NOT NULL,
        upn varchar(13) NULL,
        cohort varchar(100) NULL,
        tier varchar(10) NOT NULL CHECK (tier IN ('universal', 'targeted', 'intensive')),
        action_type varchar(40) NOT NULL,
        owner varchar(200) NOT NULL,
        review_date date NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
        notes text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tsm_actions_subject CHECK ((upn IS NULL) <> (cohort IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX tsm_actions_school_idx ON tsm_actions (urn, status, review_date)`);
    await queryRunner.query(`CREATE INDEX tsm_actions_meeting_idx ON tsm_actions (meeting_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tsm_actions`);
    await queryRunner.query(`DROP TABLE tsm_meetings`);
  }
}
