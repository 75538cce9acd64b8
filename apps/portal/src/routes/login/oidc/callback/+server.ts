import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { callAuth, OIDC_BROWSER_COOKIE, safeReturnTo, setSessionCookie, type SignInAnswer } from '$lib/server/session';

/** The identity provider sends the browser back here; the API checks the answer and opens a session. */
export const GET: RequestHandler = async ({ url, cookies, fetch, locals, getClientAddress }) => {
  const browserKey = cookies.get(OIDC_BROWSER_COOKIE) ?? '';
  cookies.delete(OIDC_BROWSER_COOKIE, { path: '/login/oidc' });
  const answer = await callAuth<SignInAnswer>(
    fetch,
    locals.apiUrl,
    '/auth/oidc/callback',
    { callbackUrl: url.href, browserKey },
    { 'x-forwarded-for': getClientAddress() },
  );
  if (!answer.ok) redirect(303, `/login?${new URLSearchParams({ problem: answer.message })}`);
  setSessionCookie(cookies, answer.data.token, answer.data.expiresAt);
  redirect(303, safeReturnTo(answer.data.returnTo));
};
