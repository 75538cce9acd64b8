import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The roles a `users_role_check` constraint allows, read from its definition. */
async function allowedRoles(queryRunner: QueryRunner): Promise<string[]> {
  const rows: Array<{ def: string }> = await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'users'::regclass AND conname = 'users_role_check'`,
  );
  const roles = [...(rows[0]?.def ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
  if (roles.length === 0) throw new Error('users_role_check is missing: run the earlier migrations first');
  return roles;
}

async function setAllowedRoles(queryRunner: QueryRunner, roles: readonly string[]): Promise<void> {
  if (!roles.every((r) => /^[a-z_]+$/.test(r))) throw new Error('A role name that is not a plain identifier');
  await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
  await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN (${roles.map((r) => `'${r}'`).join(', ')}))`);
}

/**
 * Regional users (issue 10, ADR 0004): the `regional` role and the LAs a user's figures cover.
 * `la_codes` is empty for every other role; a regional user has at least one LA, their own
 * (`la_code`, whose administrators manage the account) among them.
 */
export class RegionalUsers1765200000000 implements MigrationInterface {
  name = 'RegionalUsers1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN la_codes varchar(3)[] NOT NULL DEFAULT '{}'`);
    // The role list is extended, not rewritten: a migration before this one may have added a role.
    const roles = await allowedRoles(queryRunner);
    await setAllowedRoles(queryRunner, [...new Set([...roles, 'regional'])]);
    await queryRunner.query(`
      ALTER TABLE users ADD CONSTRAINT users_regional_la_codes CHECK (
        role <> 'regional' OR (cardinality(la_codes) >= 1 AND la_code IS NOT NULL AND la_code = ANY (la_codes)))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_regional_la_codes`);
    // As in Access1764100000000: a role this version does not know becomes the least privileged.
    await queryRunner.query(`UPDATE users SET role = 'analyst' WHERE role = 'regional'`);
    await setAllowedRoles(queryRunner, (await allowedRoles(queryRunner)).filter((r) => r !== 'regional'));
    await queryRunner.query(`ALTER TABLE users DROP COLUMN la_codes`);
  }
}
