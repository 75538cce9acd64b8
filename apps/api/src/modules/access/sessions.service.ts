import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseService } from '../../database/database.service.js';
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

/** A session found lately, and until when (this process's clock) it may be trusted without asking PostgreSQL. */
interface HeldSession {
  session: ActiveSession;
  userId: string;
  until: number;
}

/** Sessions held in memory at most (a large LA's staff signed in at once, several times over). */
const SESSIONS_HELD = 5000;
/** The notice connection's `application_name` (as `pg_stat_activity` shows it). */
export const NOTICE_CONNECTION = 'rollbook-session-notices';
/** How long the notice connection's first notice may take to come back. */
const PROBE_MS = 5000;
/** How long to wait before listening again after the notice connection is lost. */
const RELISTEN_MS = 5000;

/**
 * Sessions in Postgres: a random 256-bit token per sign-in, stored hashed; it ends at
 * `expires_at` (absolute) or after the idle timeout without a request, whichever is first, and
 * at sign-out. A disabled user's sessions stop working at once.
 *
 * A session just found is held in memory until its idle clock is next due to be written (at most
 * {@link touchSeconds}), its end, or a change to its user or any of the user's sessions, whichever
 * comes first: most requests then need no round trip to PostgreSQL to say who is asking (one in
 * three of the API's queries under load; docs/benchmarks.md). Changes are heard through
 * `LISTEN rollbook_sessions` (triggers on `users` and `sessions`, migration 1765500000000), so
 * one made anywhere (this API, another API process, an administrator in SQL) takes effect as soon
 * as PostgreSQL's notice arrives. While that connection is down nothing is held: every request
 * asks PostgreSQL, as before.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private static readonly logger = new Logger('Sessions');
  private readonly held = new Map<string, HeldSession>();
  /** Raised by every notice: a lookup that started before one is not held (it may predate the change). */
  private changes = 0;
  private listener: pg.Client | null = null;
  private listening = false;
  private closing = false;
  private relisten: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearTimeout(this.relisten);
    this.forgetAll();
    await this.listener?.end().catch(() => undefined);
  }

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
    const hash = hashToken(token);
    const key = hash.toString('base64');
    const held = this.held.get(key);
    if (held && this.listening && Date.now() < held.until) return held.session;
    if (held) this.held.delete(key);
    const changesBefore = this.changes;
    const rows = await this.dataSource.query(
      `WITH live AS (
         SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.email, u.display_name, u.role, u.la_code, u.la_codes, u.urn,
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
       SELECT live.*,
         -- How long this answer may be held: until the idle clock is next due, and never past the session's end.
         extract(epoch FROM least(
           CASE WHEN live.last_seen_at <= now() - make_interval(secs => $3) THEN now() ELSE live.last_seen_at END + make_interval(secs => $3),
           live.expires_at
         ) - now())::float8 AS hold_seconds
       FROM live`,
      [hash, this.config.auth.sessionIdleMinutes, this.touchSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    const session: ActiveSession = { id: String(row.session_id), csrfToken: String(row.csrf_token), user: toRecord(row) };
    if (this.listening && this.changes === changesBefore && Number(row.hold_seconds) > 0) {
      if (this.held.size >= SESSIONS_HELD) this.held.delete(this.held.keys().next().value!);
      this.held.set(key, { session, userId: session.user.id, until: Date.now() + Number(row.hold_seconds) * 1000 });
    }
    return session;
  }

  /** How stale the recorded idle clock may get: a minute, or a tenth of the idle timeout when that is shorter. */
  get touchSeconds(): number {
    return Math.min(60, this.config.auth.sessionIdleMinutes * 6);
  }

  /** Whether found sessions are held now (false while the notice connection is down). */
  get holding(): boolean {
    return this.listening;
  }

  /**
   * Resolves once every change to users and sessions committed before the call has been heard
   * (a query on the notice connection: PostgreSQL delivers notices before later answers). For
   * changes made outside the API, such as a test's SQL.
   */
  async heardChanges(): Promise<void> {
    if (this.listener && this.listening) await this.listener.query('SELECT 1');
  }

  // Forgotten after the write: a lookup under way meanwhile is then not held either (see find).
  async revoke(token: string): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [
      hashToken(token),
    ]);
    this.changes += 1;
    this.held.delete(hashToken(token).toString('base64'));
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    this.forgetUser(userId);
  }

  /** Forgets the user's held sessions (their record or one of their sessions changed). */
  forgetUser(userId: string): void {
    this.changes += 1;
    for (const [key, held] of this.held) if (held.userId === userId) this.held.delete(key);
  }

  private forgetAll(): void {
    this.changes += 1;
    this.held.clear();
  }

  /** Opens the notice connection; on failure or loss, holds nothing and tries again every few seconds. */
  private async listen(): Promise<void> {
    if (this.closing) return;
    const client = new pg.Client({ connectionString: this.database.url, application_name: NOTICE_CONNECTION });
    const lost = (reason: string) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.listening = false;
      this.forgetAll();
      client.end().catch(() => undefined);
      if (this.closing) return;
      SessionsService.logger.warn(`Lost the session notice connection (${reason}); checking every session with PostgreSQL until it is back`);
      this.relisten = setTimeout(() => void this.listen(), RELISTEN_MS);
      this.relisten.unref();
    };
    // A notice sent through the pool must come back here before anything is held: through a
    // pooler that does not keep a connection per client (PgBouncer's transaction mode) it never
    // would, and held sessions would then outlive their changes.
    const probe = `probe:${randomBytes(12).toString('base64url')}`;
    let heard: () => void = () => undefined;
    const probed = new Promise<void>((resolve) => (heard = resolve));
    client.on('notification', (message) => {
      if (message.channel !== 'rollbook_sessions' || !message.payload) return;
      if (message.payload === probe) heard();
      else this.forgetUser(message.payload);
    });
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('closed'));
    this.listener = client;
    try {
      await client.connect();
      await client.query('LISTEN rollbook_sessions');
      await this.dataSource.query(`SELECT pg_notify('rollbook_sessions', $1)`, [probe]);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('PostgreSQL\'s notices do not reach this connection (a pooler in transaction mode?)')), PROBE_MS);
      });
      await Promise.race([probed, late]).finally(() => clearTimeout(timer));
      this.forgetAll();
      this.listening = this.listener === client;
    } catch (error) {
      lost((error as Error).message);
    }
  }
}
