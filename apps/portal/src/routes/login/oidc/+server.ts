import { randomBytes } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { callAuth, cookieOptions, OIDC_BROWSER_COOKIE, safeReturnTo } from '$lib/server/session';

/** Starts single sign-on: asks the API for the provider's address and sends the browser there. */
export const GET: RequestHandler = async ({ url, cookies, fetch, locals }) => {
  const browserKey = randomBytes(24).toString('base64url');
  cookies.set(OIDC_BROWSER_COOKIE, browserKey, { ...cookieOptions(new Date(Date.now() + 10 * 60_000)), path: '/login/oidc' });
  const answer = await callAuth<{ authorizationUrl: string }>(fetch, locals.apiUrl, '/auth/oidc/start', {
    redirectUri: new URL('/login/oidc/callback', url).href,
    returnTo: safeReturnTo(url.searchParams.get('returnTo')),
    browserKey,
  });
  if (!answer.ok) redirect(303, `/login?${new URLSearchParams({ problem: answer.message })}`);
  redirect(303, answer.data.authorizationUrl);
};
