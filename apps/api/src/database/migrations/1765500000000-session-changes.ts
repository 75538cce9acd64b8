import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every API process when a user or a session changes (issue 9): each keeps the sessions it
 * has just checked in memory instead of asking PostgreSQL on every request, and forgets a user's
 * sessions as soon as this notice arrives, whoever made the change (the API itself, another API
 * process, or an administrator in SQL). The payload is the user's id, nothing personal.
 */
export class SessionChanges1765500000000 implements MigrationInterface {
  name = 'SessionChanges1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION rollbook_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('rollbook_sessions', OLD.id::text);
        ELSE
          PERFORM pg_notify('rollbook_sessions', OLD.user_id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION rollbook_session_changed()`);
    await queryRunner.query(`CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION rollbook_session_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER sessions_changed ON sessions`);
    await queryRunner.query(`DROP TRIGGER users_changed ON users`);
    await queryRunner.query(`DROP FUNCTION rollbook_session_changed()`);
  }
}
