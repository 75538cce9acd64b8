import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SignedInUser } from './access-scope.js';
import { isRole } from './roles.js';

/** A row of `users`, as the access feature uses it (never sent to clients as is). */
export interface UserRecord extends SignedInUser {
  passwordHash: string | null;
  disabled: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/** What an administrator (or an identity provider's claims) sets on a user. */
export interface UserFields extends Omit<SignedInUser, 'id'> {
  disabled: boolean;
}

const COLUMNS = `id, email, display_name, role, la_code, la_codes, urn, worker_id, team, password_hash, disabled,
  oidc_issuer, oidc_subject, created_at, last_sign_in_at`;

/** Users in Postgres. Listing is always for one LA: there is no "every user" query. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async count(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    return Number(row.n);
  }

  async byEmail(email: string): Promise<UserRecord | null> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async byId(id: string): Promise<UserRecord | null> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async byOidcSubject(issuer: string, subject: string): Promise<UserRecord | null> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`,
      [issuer, subject],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async listForLa(laCode: string): Promise<UserRecord[]> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM users WHERE la_code = $1 ORDER BY lower(display_name), lower(email)`,
      [laCode],
    );
    return rows.map(toRecord);
  }

  async create(
    fields: UserFields,
    extra: { passwordHash?: string | null; oidcIssuer?: string | null; oidcSubject?: string | null } = {},
  ): Promise<UserRecord> {
    const rows = await this.dataSource.query(
      `INSERT INTO users (email, display_name, role, la_code, urn, worker_id, team, disabled, password_hash, oidc_issuer, oidc_subject, la_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING ${COLUMNS}`,
      [
        fields.email,
        fields.displayName,
        fields.role,
        fields.laCode,
        fields.urn,
        fields.workerId,
        fields.team,
        fields.disabled,
        extra.passwordHash ?? null,
        extra.oidcIssuer ?? null,
        extra.oidcSubject ?? null,
        [...(fields.laCodes ?? [])],
      ],
    );
    return toRecord(rows[0]);
  }

  /** Changes a user; `fields.laCodes` absent keeps the stored list (single sign-on names no LAs). */
  async update(id: string, fields: UserFields): Promise<UserRecord | null> {
    const rows = await this.dataSource.query(
      `UPDATE users SET email = $2, display_name = $3, role = $4, la_code = $5, urn = $6, worker_id = $7, team = $8,
         disabled = $9, la_codes = coalesce($10::varchar(3)[], la_codes), updated_at = now()
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, fields.email, fields.displayName, fields.role, fields.laCode, fields.urn, fields.workerId, fields.team, fields.disabled,
        fields.laCodes === undefined ? null : [...fields.laCodes]],
    );
    return rows[0]?.[0] ? toRecord(rows[0][0]) : null;
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  async signedIn(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [id]);
  }
}

export function toRecord(row: Record<string, unknown>): UserRecord {
  const role = String(row.role);
  if (!isRole(role)) throw new Error('A user has a role this version does not know');
  return {
    id: String(row.id),
    email: String(row.email),
    displayName: String(row.display_name),
    role,
    laCode: row.la_code === null ? '' : String(row.la_code),
    laCodes: Array.isArray(row.la_codes) ? row.la_codes.map(String) : [],
    urn: row.urn === null ? null : Number(row.urn),
    workerId: row.worker_id === null ? null : String(row.worker_id),
    team: row.team === null ? null : String(row.team),
    passwordHash: row.password_hash === null ? null : String(row.password_hash),
    disabled: Boolean(row.disabled),
    oidcIssuer: row.oidc_issuer === null ? null : String(row.oidc_issuer),
    oidcSubject: row.oidc_subject === null ? null : String(row.oidc_subject),
    createdAt: row.created_at as Date,
    lastSignInAt: (row.last_sign_in_at as Date | null) ?? null,
  };
}
