import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Social care alerts as first detected: one row per child × concern × day it arose, with when
 * Rollbook first worked it out. "New since you last looked" compares that moment with the user's
 * last visit, so a late return whose concerns are dated before the user's last look still shows
 * them as new.
 */
export class SocialCareAlerts1764950000000 implements MigrationInterface {
  name = 'SocialCareAlerts1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE social_care_alerts (
        la_code varchar(3) NOT NULL,
        upn varchar(13) NOT NULL,
        kind text NOT NULL,
        arose_on date NOT NULL,
        message text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (la_code, upn, kind, arose_on)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE social_care_alerts');
  }
}
