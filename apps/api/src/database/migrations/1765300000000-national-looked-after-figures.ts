import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National figures for looked-after children (issue 8), one row per academic year, as the virtual
 * school copies them from DfE's release "Outcomes for children in need, including children looked
 * after by local authorities in England": overall absence and persistent absence, per cent. The
 * figures are England's, the same for every LA, so the table is not keyed by LA.
 */
export class NationalLookedAfterFigures1765300000000 implements MigrationInterface {
  name = 'NationalLookedAfterFigures1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE national_cla_figures (
        academic_year varchar(7) PRIMARY KEY
          CHECK (academic_year ~ '^[0-9]{4}/[0-9]{2}$'
                 AND (substr(academic_year, 1, 4)::int + 1) % 100 = substr(academic_year, 6, 2)::int),
        overall_absence_pct numeric NOT NULL CHECK (overall_absence_pct BETWEEN 0 AND 100),
        persistent_absence_pct numeric NULL CHECK (persistent_absence_pct BETWEEN 0 AND 100),
        source text NOT NULL CHECK (length(btrim(source)) > 0),
        recorded_by uuid NOT NULL REFERENCES users (id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE national_cla_figures');
  }
}
