import { env } from '$env/dynamic/private';
import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { readConfig, type PortalConfig } from '$lib/server/config';
import { createGraphqlClient } from '$lib/server/graphql';
import { currentUser, isPublicPath, SESSION_COOKIE } from '$lib/server/session';

let config: PortalConfig | undefined;

/** Read and validate the configuration once, when the server starts. */
export const init: ServerInit = () => {
  config = readConfig(env);
};

/**
 * Every request: find who is signed in (one `me` query when there is a session cookie), give
 * the page `locals.api` carrying the session cookie, its CSRF token and the browser's address,
 * send anyone signed out to `/login`, and set the security headers.
 */
export const handle: Handle = async ({ event, resolve }) => {
  config ??= readConfig(env);
  const client = (csrfToken: string | null) =>
    createGraphqlClient({
      url: config!.apiUrl,
      fetch: event.fetch,
      cookie: event.request.headers.get('cookie'),
      csrfToken,
      clientAddress: event.getClientAddress(),
    });
  event.locals.apiUrl = config.apiUrl;
  event.locals.user = null;
  event.locals.api = client(null);
  if (event.cookies.get(SESSION_COOKIE)) {
    const session = await currentUser(event.locals.api);
    if (session) {
      event.locals.user = session.user;
      event.locals.api = client(session.csrfToken);
    }
  }
  if (!event.locals.user && !isPublicPath(event.url.pathname)) {
    const returnTo = `${event.url.pathname}${event.url.search}`;
    redirect(303, returnTo === '/' ? '/login' : `/login?${new URLSearchParams({ returnTo })}`);
  }

  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  // frame-ancestors 'none' is in the CSP (svelte.config.js); X-Frame-Options covers old browsers.
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  response.headers.set('cross-origin-resource-policy', 'same-origin');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  // Pages show children's data: never keep them in a shared or back-button cache.
  if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('cache-control', 'private, no-store');
  return response;
};

/** Unexpected errors: log the route only (never query strings or data), show a generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  console.error(`portal: ${status} on ${event.route.id ?? 'unknown route'}:`, error instanceof Error ? error.name : 'error');
  return { message: 'Sorry, there is a problem with the service', code: 'UNEXPECTED' };
};
