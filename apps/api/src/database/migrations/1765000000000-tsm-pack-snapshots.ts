import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Targeting support meeting packs as the system built them when each school's return loaded
 * (issue 7): one row per school × term, replaced by every later load of that school's term. The
 * pupil counts per section are kept beside the pack for the planner.
 */
export class TsmPackSnapshots1765000000000 implements MigrationInterface {
  name = 'TsmPackSnapshots1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tsm_packs (
        la_code varchar(3) NOT NULL,
        urn integer NOT NULL,
        academic_year varchar(7) NOT NULL CHECK (academic_year ~ '^[0-9]{4}/[0-9]{2}$'),
        term varchar(6) NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
        built_at timestamptz NOT NULL DEFAULT now(),
        source_submission_id text NULL,
        return_loaded_at timestamptz NULL,
        severe integer NOT NULL,
        persistent integer NOT NULL,
        at_risk integer NOT NULL,
        pack jsonb NOT NULL,
        PRIMARY KEY (la_code, urn, academic_year, term)
      )`);
    await queryRunner.query(`CREATE INDEX tsm_packs_term_idx ON tsm_packs (la_code, academic_year, term)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tsm_packs`);
  }
}
