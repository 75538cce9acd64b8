import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warehouse figures of a TSM pack (issue 9): pupils, cohorts and comparisons as the warehouse
 * gave them, kept with the warehouse version and the day they were worked out, so that a read
 * while the warehouse is unchanged merges the meetings' actions into them instead of querying
 * DuckDB again. One row per school × term, replaced by the next build; `tsm_packs` (the pack
 * built when the return loaded) is left as it is.
 */
export class TsmPackFigures1765400000000 implements MigrationInterface {
  name = 'TsmPackFigures1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tsm_pack_figures (
        urn integer NOT NULL,
        academic_year varchar(7) NOT NULL CHECK (academic_year ~ '^[0-9]{4}/[0-9]{2}$'),
        term varchar(6) NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
        warehouse_version text NOT NULL,
        built_on date NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now(),
        figures jsonb NOT NULL,
        PRIMARY KEY (urn, academic_year, term)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tsm_pack_figures`);
  }
}
