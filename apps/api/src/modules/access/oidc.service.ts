import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig, OidcConfig } from '../../config/config.js';
import { AccessException, AccessExceptionCode } from './access.exception.js';
import type { Role } from './roles.js';
import type { UserFields } from './users.repository.js';

/** A pending sign-in lasts this long between leaving for the provider and coming back. */
const PENDING_MINUTES = 10;

/** Who the provider vouched for, with the user fields their claims give. */
export interface OidcIdentity extends Omit<UserFields, 'disabled'> {
  issuer: string;
  subject: string;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A path on the portal (`/schools/1/pupils`), never another site (`//evil`, `https://…`). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

/**
 * Maps the provider's claims to a Rollbook role by configuration (`OIDC_ROLE_MAP`): the first
 * mapping whose claim value the user holds wins. Returns null when none matches.
 */
export function roleFromClaims(config: Pick<OidcConfig, 'roleClaim' | 'roleMap'>, claims: Record<string, unknown>): Role | null {
  const raw = claims[config.roleClaim];
  const held = new Set((Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string'));
  return config.roleMap.find((m) => held.has(m.claimValue))?.role ?? null;
}

/**
 * OpenID Connect sign-in, authorization code flow with PKCE (S256), state and nonce. The portal
 * starts it and finishes it; the pending state is kept in Postgres, bound to a random key the
 * portal keeps in an HttpOnly cookie of the browser that started, so a callback from another
 * browser (login CSRF) is refused.
 */
@Injectable()
export class OidcService {
  private static readonly logger = new Logger('OIDC');
  private discovered: Promise<client.Configuration> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  get enabled(): boolean {
    return this.config.auth.oidc !== undefined;
  }

  get displayName(): string | null {
    return this.config.auth.oidc?.displayName ?? null;
  }

  async start(args: { redirectUri: string; returnTo: string; browserKey: string }): Promise<{ authorizationUrl: string }> {
    const oidc = this.requireConfig();
    if (args.browserKey.length < 20) throw this.failed('The sign-in request was incomplete.');
    const configuration = await this.configuration(oidc);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.dataSource.query(`DELETE FROM oidc_sign_ins WHERE expires_at < now()`);
    await this.dataSource.query(
      `INSERT INTO oidc_sign_ins (state, browser_hash, code_verifier, nonce, redirect_uri, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))`,
      [state, sha256(args.browserKey), codeVerifier, nonce, args.redirectUri, safeReturnTo(args.returnTo), PENDING_MINUTES],
    );
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: args.redirectUri,
      scope: oidc.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href };
  }

  /** Checks the provider's answer and returns who signed in, with the role their claims map to. */
  async finish(args: { callbackUrl: string; browserKey: string }): Promise<{ identity: OidcIdentity; returnTo: string }> {
    const oidc = this.requireConfig();
    let callback: URL;
    try {
      callback = new URL(args.callbackUrl);
    } catch {
      throw this.failed('The sign-in answer was not a web address.');
    }
    const state = callback.searchParams.get('state') ?? '';
    // One use only: the pending row is deleted as it is read.
    const rows = await this.dataSource.query(
      `DELETE FROM oidc_sign_ins WHERE state = $1 AND browser_hash = $2 AND expires_at > now()
       RETURNING code_verifier, nonce, redirect_uri, return_to`,
      [state, sha256(args.browserKey)],
    );
    const pending = rows[0]?.[0] as { code_verifier: string; nonce: string; redirect_uri: string; return_to: string } | undefined;
    if (!pending) throw this.failed('The sign-in took too long or was started in another browser. Try again.');
    if (callback.searchParams.has('error')) throw this.failed('The identity provider did not sign you in.');
    // The token request must name the same redirect URI: compare on it, not on what came back.
    const current = new URL(pending.redirect_uri);
    current.search = callback.search;

    const configuration = await this.configuration(oidc);
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub).catch(() => ({}));
      claims = { ...userInfo, ...idClaims };
    } catch (error) {
      OidcService.logger.warn(`OIDC code exchange failed: ${error instanceof Error ? error.name : 'error'}`);
      throw this.failed('The identity provider\'s answer could not be checked. Try again.');
    }
    return { identity: this.identity(oidc, claims), returnTo: pending.return_to };
  }

  private identity(oidc: OidcConfig, claims: Record<string, unknown>): OidcIdentity {
    const text = (key: string): string | null => {
      const v = claims[key];
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
    };
    const role = roleFromClaims(oidc, claims);
    if (!role) {
      throw new AccessException(
        AccessExceptionCode.OIDC_NO_ROLE,
        'You signed in, but your account has no Rollbook role. Ask your Rollbook administrator to give you one.',
      );
    }
    const email = text('email') ?? text('preferred_username') ?? text('upn');
    if (!email) throw this.failed('The identity provider did not give an email address.');
    const urnText = text(oidc.urnClaim);
    return {
      issuer: String(claims.iss),
      subject: String(claims.sub),
      email,
      displayName: text('name') ?? email,
      role,
      laCode: oidc.laCode,
      urn: urnText !== null && /^\d{6,7}$/.test(urnText) ? Number(urnText) : null,
      workerId: text(oidc.workerIdClaim),
      team: text(oidc.teamClaim),
    };
  }

  private configuration(oidc: OidcConfig): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(
        oidc.issuer,
        oidc.clientId,
        undefined,
        oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None(),
        // Config allows http only for a loopback issuer (tests, a local provider).
        oidc.issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((error: unknown) => {
        this.discovered = undefined;
        OidcService.logger.warn(`OIDC discovery failed: ${error instanceof Error ? error.message : 'error'}`);
        throw this.failed('The identity provider could not be reached. Try again later.');
      });
    return this.discovered;
  }

  private requireConfig(): OidcConfig {
    const oidc = this.config.auth.oidc;
    if (!oidc) throw new AccessException(AccessExceptionCode.OIDC_NOT_CONFIGURED, 'Single sign-on is not set up for this Rollbook.');
    return oidc;
  }

  private failed(message: string): AccessException {
    return new AccessException(AccessExceptionCode.OIDC_FAILED, message);
  }

  /** A random key for the browser that starts a sign-in (the portal keeps it in a cookie). */
  static browserKey(): string {
    return randomBytes(24).toString('base64url');
  }
}
