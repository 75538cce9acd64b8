import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users of the portal; roles and scopes are added by the access feature. */
export class CreateUsers1764000000000 implements MigrationInterface {
  name = 'CreateUsers1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(320) NOT NULL,
        display_name varchar(200) NOT NULL,
        role varchar(64) NOT NULL,
        password_hash text NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Email addresses are matched case-insensitively.
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE users`);
  }
}
