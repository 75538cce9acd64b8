import { dev } from '$app/environment';
import type { Cookies } from '@sveltejs/kit';
import type { GraphqlClient } from './graphql.js';

/** The session cookie: the same name the API reads. */
export const SESSION_COOKIE = 'rollbook_session';
/** Binds an OIDC sign-in to the browser that started it (short-lived). */
export const OIDC_BROWSER_COOKIE = 'rollbook_oidc';

/** The signed-in user, as every page sees it (`locals.user`). */
export interface PortalUser {
  email: string;
  displayName: string;
  /** The role's value in lower case, e.g. `social_worker` (as the API's `Role` enum values). */
  role: string;
  roleLabel: string;
  laCode: string;
  urn: number | null;
  pupilLevel: boolean;
  administers: boolean;
}

export const ME_QUERY = /* GraphQL */ `query Me { me { email displayName role roleLabel laCode urn pupilLevel administers csrfToken } }`;

/** Who the session belongs to (and its CSRF token), or null when signed out or expired. */
export async function currentUser(api: GraphqlClient): Promise<{ user: PortalUser; csrfToken: string } | null> {
  const result = await api.execute<{ me: (PortalUser & { csrfToken: string }) | null }>(ME_QUERY);
  if (!result.ok || !result.data.me) return null;
  const { csrfToken, ...user } = result.data.me;
  // GraphQL gives the enum's name (SOCIAL_WORKER); the portal compares the role's value (social_worker).
  return { user: { ...user, role: user.role.toLowerCase() }, csrfToken };
}

/** HttpOnly, SameSite=Lax, and Secure everywhere but development (`vite dev` on plain http). */
export function cookieOptions(expires?: Date) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: !dev, ...(expires ? { expires } : {}) };
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: string): void {
  cookies.set(SESSION_COOKIE, token, cookieOptions(new Date(expiresAt)));
}

/** A path on this portal to go back to after signing in (never another site). */
export function safeReturnTo(value: string | null | undefined): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 && !value.startsWith('/login')
    ? value
    : '/';
}

/** Paths that answer without a session. */
export function isPublicPath(pathname: string): boolean {
  return pathname === '/login' || pathname.startsWith('/login/') || pathname === '/favicon.svg' || pathname.startsWith('/_app/');
}

/** The API's base URL (`http://host:port`) from its GraphQL URL. */
export function apiBase(apiUrl: URL): string {
  return new URL('/', apiUrl).href.replace(/\/$/, '');
}

export interface SignInAnswer {
  token: string;
  csrfToken: string;
  expiresAt: string;
  returnTo?: string;
}

/** POSTs JSON to one of the API's `/auth/…` endpoints; failures are values with the API's message. */
export async function callAuth<T>(
  fetcher: typeof fetch,
  apiUrl: URL,
  path: string,
  body: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<{ ok: true; data: T } | { ok: false; status: number; message: string; reason?: string }> {
  let response: Response;
  try {
    response = await fetcher(`${apiBase(apiUrl)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extraHeaders },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return { ok: false, status: 502, message: 'The Rollbook API could not be reached. Try again later.' };
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { ok: true, data: json as T };
  return {
    ok: false,
    status: response.status,
    message: typeof json.message === 'string' ? json.message : 'Sorry, there is a problem with the service. Try again later.',
    reason: typeof json.reason === 'string' ? json.reason : undefined,
  };
}
