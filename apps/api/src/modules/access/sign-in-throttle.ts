import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Failed sign-ins allowed per email address in a window before it is locked. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Failed sign-ins allowed from one client address in a window (password guessing across accounts). */
export const MAX_FAILURES_PER_ADDRESS = 30;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;

export interface ThrottleState {
  locked: boolean;
  /** When the lock ends (null when not locked). */
  until: Date | null;
}

/**
 * Throttling and lock-out of password sign-in, in Postgres so that every API process shares it.
 * Email addresses are keyed by their hash (lower case), whether or not such a user exists, so
 * the lock-out says nothing about which addresses have accounts.
 */
@Injectable()
export class SignInThrottle {
  constructor(private readonly dataSource: DataSource) {}

  static emailKey(email: string): string {
    return `email:${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex')}`;
  }

  static addressKey(ip: string | null): string {
    return `ip:${ip ?? 'unknown'}`;
  }

  async state(email: string, ip: string | null): Promise<ThrottleState> {
    const rows: Array<{ locked_until: Date }> = await this.dataSource.query(
      `SELECT locked_until FROM sign_in_throttle WHERE key = ANY($1) AND locked_until > now() ORDER BY locked_until DESC LIMIT 1`,
      [[SignInThrottle.emailKey(email), SignInThrottle.addressKey(ip)]],
    );
    return rows[0] ? { locked: true, until: rows[0].locked_until } : { locked: false, until: null };
  }

  /** Counts a failure against the email address and the client address; locks past the limits. */
  async failed(email: string, ip: string | null): Promise<ThrottleState> {
    await this.count(SignInThrottle.emailKey(email), MAX_FAILURES_PER_EMAIL);
    await this.count(SignInThrottle.addressKey(ip), MAX_FAILURES_PER_ADDRESS);
    return this.state(email, ip);
  }

  /** A successful sign-in clears the email address's count (not the client address's). */
  async succeeded(email: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_in_throttle WHERE key = $1`, [SignInThrottle.emailKey(email)]);
  }

  private async count(key: string, limit: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sign_in_throttle AS t (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_started_at < now() - make_interval(mins => $2) THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at < now() - make_interval(mins => $2) THEN now() ELSE t.window_started_at END`,
      [key, WINDOW_MINUTES],
    );
    await this.dataSource.query(
      `UPDATE sign_in_throttle SET locked_until = now() + make_interval(mins => $3), failures = 0, window_started_at = now()
       WHERE key = $1 AND failures >= $2`,
      [key, limit, LOCK_MINUTES],
    );
  }
}
