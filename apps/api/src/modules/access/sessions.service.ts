import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { toRecord, type UserRecord } from './users.repository.js';

/** Name of the session cookie (the portal sets the same name on its own origin). */
export const SESSION_COOKIE = 'rollbook_session';

export interface NewSession {
  /** The secret the client keeps; only its SHA-256 is stored. */
  token: string;
  /** Sent by the client in `x-csrf-token` on every change made with a cookie session. */
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  user: UserRecord;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Sessions in Postgres: a random 256-bit token per sign-in, stored hashed; it ends at
 * `expires_at` (absolute) or after the idle timeout without a request, whichever is first, and
 * at sign-out. A disabled user's sessions stop working at once.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(userId: string, method: 'password' | 'oidc', ip: string | null): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlMinutes * 60_000);
    await this.dataSource.query(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, method) VALUES ($1, $2, $3, $4, $5, $6)`,
      [hashToken(token), userId, csrfToken, expiresAt, ip, method],
    );
    return { token, csrfToken, expiresAt };
  }

  /**
   * The live session of a token; null when unknown, ended or idle. The idle clock
   * (`last_seen_at`) is written at most once a {@link touchSeconds} per session, not on every
   * request: a read-only request then writes nothing to Postgres (no commit to flush). A session
   * still ends no later than the idle timeout after its last request, and at most a minute
   * before it.
   */
  async find(token: string): Promise<ActiveSession | null> {
    if (token.length < 20 || token.length > 100) return null;
    const rows = await this.dataSource.query(
      `WITH live AS (
         SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, u.id, u.email, u.display_name, u.role, u.la_code, u.la_codes, u.urn,
           u.worker_id, u.team, u.password_hash, u.disabled, u.oidc_issuer, u.oidc_subject, u.created_at, u.last_sign_in_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1
           AND s.revoked_at IS NULL AND s.expires_at > now()
           AND s.last_seen_at > now() - make_interval(mins => $2)
           AND NOT u.disabled
       ), touched AS (
         UPDATE sessions s SET last_seen_at = now() FROM live
         WHERE s.id = live.session_id AND live.last_seen_at <= now() - make_interval(secs => $3)
         RETURNING s.id
       )
       SELECT * FROM live`,
      [hashToken(token), this.config.auth.sessionIdleMinutes, this.touchSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    return { id: String(row.session_id), csrfToken: String(row.csrf_token), user: toRecord(row) };
  }

  /** How stale the recorded idle clock may get: a minute, or a tenth of the idle timeout when that is shorter. */
  get touchSeconds(): number {
    return Math.min(60, this.config.auth.sessionIdleMinutes * 6);
  }

  async revoke(token: string): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [
      hashToken(token),
    ]);
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }
}
