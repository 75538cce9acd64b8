import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AccessException, AccessExceptionCode } from './access.exception.js';
import type { OidcIdentity } from './oidc.service.js';
import { verifyPassword } from './password.js';
import { type NewSession, SessionsService } from './sessions.service.js';
import { LOCK_MINUTES, SignInThrottle } from './sign-in-throttle.js';
import { type UserRecord, UsersRepository } from './users.repository.js';

export interface SignedIn {
  session: NewSession;
  user: UserRecord;
}

const INVALID = 'Enter a correct email address and password.';
const LOCKED = `Too many failed attempts to sign in with this email address. Wait ${LOCK_MINUTES} minutes, then try again.`;

/** Sign-in with a password or an OIDC identity, and sign-out; each attempt is audited. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks an email address and password. Unknown address, wrong password, no password (OIDC
   * account) and disabled account all get the same answer, in about the same time; after
   * repeated failures the address is locked for a while, whether or not it has an account.
   */
  async signInWithPassword(email: string, password: string, ip: string | null): Promise<SignedIn> {
    const address = email.trim().slice(0, 320);
    const actor = { userId: null, email: null, role: null, laCode: null, ip };
    if ((await this.throttle.state(address, ip)).locked) {
      await this.audit.recordAs(actor, { action: 'sign_in.failed', outcome: 'denied', details: { reason: 'locked' } });
      throw new AccessException(AccessExceptionCode.SIGN_IN_LOCKED, LOCKED);
    }
    const user = address === '' ? null : await this.users.byEmail(address);
    const ok = await verifyPassword(user?.passwordHash ?? null, password.slice(0, 1024));
    if (!ok || !user || user.disabled) {
      const state = await this.throttle.failed(address, ip);
      await this.audit.recordAs(
        { ...actor, userId: user?.id ?? null, email: user?.email ?? null, role: user?.role ?? null, laCode: user?.laCode || null },
        { action: 'sign_in.failed', outcome: 'failed', details: { method: 'password' } },
      );
      if (state.locked) throw new AccessException(AccessExceptionCode.SIGN_IN_LOCKED, LOCKED);
      throw new AccessException(AccessExceptionCode.INVALID_CREDENTIALS, INVALID);
    }
    await this.throttle.succeeded(address);
    return this.open(user, 'password', ip);
  }

  /**
   * Signs in a user the identity provider vouched for: found by issuer and subject, created on
   * first sign-in, and given the role (and school, worker id, team) the claims say each time, so
   * the provider stays the source of truth. A user disabled in Rollbook stays out.
   */
  async signInWithOidc(identity: OidcIdentity, ip: string | null): Promise<SignedIn> {
    const fields = {
      email: identity.email,
      displayName: identity.displayName,
      role: identity.role,
      laCode: identity.laCode,
      urn: identity.urn,
      workerId: identity.workerId,
      team: identity.team,
    };
    let user = await this.users.byOidcSubject(identity.issuer, identity.subject);
    try {
      if (user) {
        user = (await this.users.update(user.id, { ...fields, disabled: user.disabled })) ?? user;
      } else {
        user = await this.users.create({ ...fields, disabled: false }, { oidcIssuer: identity.issuer, oidcSubject: identity.subject });
      }
    } catch (error) {
      // A role whose scope column the claims did not give (CHECK constraint), or an email taken.
      throw new AccessException(
        AccessExceptionCode.OIDC_FAILED,
        error instanceof Error && /users_email_key/.test(error.message)
          ? 'A Rollbook account with your email address already exists. Ask your Rollbook administrator to link it.'
          : 'Your account is missing the school, worker id or team your role needs. Ask your Rollbook administrator.',
      );
    }
    if (user.disabled) throw new AccessException(AccessExceptionCode.INVALID_CREDENTIALS, 'Your Rollbook account is switched off.');
    return this.open(user, 'oidc', ip);
  }

  async signOut(token: string, ip: string | null): Promise<void> {
    const session = await this.sessions.find(token);
    await this.sessions.revoke(token);
    if (session) {
      const u = session.user;
      await this.audit.recordAs({ userId: u.id, email: u.email, role: u.role, laCode: u.laCode || null, ip }, { action: 'sign_out', outcome: 'ok' });
    }
  }

  private async open(user: UserRecord, method: 'password' | 'oidc', ip: string | null): Promise<SignedIn> {
    const session = await this.sessions.create(user.id, method, ip);
    await this.users.signedIn(user.id);
    await this.audit.recordAs(
      { userId: user.id, email: user.email, role: user.role, laCode: user.laCode || null, ip },
      { action: 'sign_in', outcome: 'ok', details: { method } },
    );
    return { session, user };
  }
}
