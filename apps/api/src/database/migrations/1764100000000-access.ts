import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access control (issue 5): roles and their scope columns on `users`, sessions (only a hash of
 * the token is stored), sign-in throttling, pending OIDC sign-ins, and the append-only audit log.
 */
export class Access1764100000000 implements MigrationInterface {
  name = 'Access1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN la_code varchar(3) NULL,
        ADD COLUMN urn integer NULL,
        ADD COLUMN worker_id varchar(64) NULL,
        ADD COLUMN team varchar(200) NULL,
        ADD COLUMN disabled boolean NOT NULL DEFAULT false,
        ADD COLUMN oidc_issuer text NULL,
        ADD COLUMN oidc_subject text NULL,
        ADD COLUMN last_sign_in_at timestamptz NULL,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    // Roles named before this migration meant nothing yet: make them the least privileged.
    await queryRunner.query(`
      UPDATE users SET role = 'analyst'
      WHERE role NOT IN ('la_admin', 'la_officer', 'school_user', 'social_worker', 'team_manager', 'virtual_school', 'analyst')`);
    await queryRunner.query(`
      ALTER TABLE users
        ADD CONSTRAINT users_role_check CHECK (role IN
          ('la_admin', 'la_officer', 'school_user', 'social_worker', 'team_manager', 'virtual_school', 'analyst')),
        ADD CONSTRAINT users_school_user_urn CHECK (role <> 'school_user' OR urn IS NOT NULL),
        ADD CONSTRAINT users_social_worker_id CHECK (role <> 'social_worker' OR worker_id IS NOT NULL),
        ADD CONSTRAINT users_team_manager_team CHECK (role <> 'team_manager' OR team IS NOT NULL)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_oidc_key ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        ip inet NULL,
        method varchar(16) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);

    // Failed sign-ins per hashed email address and per client address. Keyed on the address
    // typed, not on the user row, so an unknown address locks exactly like a known one.
    await queryRunner.query(`
      CREATE TABLE sign_in_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE oidc_sign_ins (
        state text PRIMARY KEY,
        browser_hash bytea NOT NULL,
        code_verifier text NOT NULL,
        nonce text NOT NULL,
        redirect_uri text NOT NULL,
        return_to text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id uuid NULL,
        user_email varchar(320) NULL,
        user_role varchar(64) NULL,
        la_code varchar(3) NULL,
        action varchar(64) NOT NULL,
        outcome varchar(16) NOT NULL,
        object_type varchar(64) NULL,
        object_id text NULL,
        child_upns text[] NOT NULL DEFAULT '{}',
        ip inet NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_children_idx ON audit_log USING gin (child_upns)`);
    // Append-only, enforced by the database whatever the application does.
    await queryRunner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`DROP TABLE oidc_sign_ins`);
    await queryRunner.query(`DROP TABLE sign_in_throttle`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP INDEX users_oidc_key`);
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_role_check, DROP CONSTRAINT users_school_user_urn,
        DROP CONSTRAINT users_social_worker_id, DROP CONSTRAINT users_team_manager_team,
        DROP COLUMN la_code, DROP COLUMN urn, DROP COLUMN worker_id, DROP COLUMN team, DROP COLUMN disabled,
        DROP COLUMN oidc_issuer, DROP COLUMN oidc_subject, DROP COLUMN last_sign_in_at, DROP COLUMN updated_at`);
  }
}
