import { FeatureException } from '../../common/feature.exception.js';

export enum AccessExceptionCode {
  /** No valid session: sign in. */
  NOT_SIGNED_IN = 'NOT_SIGNED_IN',
  /** Signed in, but the role may not do this at all. */
  ROLE_NOT_PERMITTED = 'ROLE_NOT_PERMITTED',
  /** Signed in, but this object (an LA, a school) is outside the user's scope. */
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  /** A cookie session made a change without the session's CSRF token. */
  CSRF_TOKEN_MISSING = 'CSRF_TOKEN_MISSING',
  /** Wrong email or password, unknown or disabled account (never says which). */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** Too many failed sign-ins for this email address or from this address. */
  SIGN_IN_LOCKED = 'SIGN_IN_LOCKED',
  /** The identity provider's answer could not be used. */
  OIDC_FAILED = 'OIDC_FAILED',
  /** The identity provider vouched for the user, but no claim maps to a Rollbook role. */
  OIDC_NO_ROLE = 'OIDC_NO_ROLE',
  /** OIDC sign-in is not configured. */
  OIDC_NOT_CONFIGURED = 'OIDC_NOT_CONFIGURED',
  /** A user being created or changed is not valid (e.g. a school user without a URN). */
  USER_INVALID = 'USER_INVALID',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
}

export class AccessException extends FeatureException<AccessExceptionCode> {}

export const NOT_SIGNED_IN_MESSAGE = 'Sign in to use Rollbook.';
export const NOT_PERMITTED_MESSAGE = 'Your role does not allow this.';
