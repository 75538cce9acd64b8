import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Social care (issue 8): the virtual school's personal education plan (PEP) and support-plan
 * status per looked-after child, and, per user, the day up to which they have seen the alerts.
 */
export class SocialCare1764800000000 implements MigrationInterface {
  name = 'SocialCare1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE education_plans (
        la_code varchar(3) NOT NULL,
        upn varchar(13) NOT NULL,
        pep_status text NOT NULL CHECK (pep_status IN ('not_started', 'in_progress', 'complete', 'overdue')),
        pep_date date NULL,
        support_plan text NULL,
        updated_by uuid NOT NULL REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (la_code, upn)
      )`);
    await queryRunner.query(`
      CREATE TABLE social_care_alerts_seen (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        seen_through date NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE social_care_alerts_seen');
    await queryRunner.query('DROP TABLE education_plans');
  }
}
