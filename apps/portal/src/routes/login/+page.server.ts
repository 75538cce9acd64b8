import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { callAuth, safeReturnTo, setSessionCookie, type SignInAnswer } from '$lib/server/session';

export const load: PageServerLoad = async ({ locals, url }) => {
  const returnTo = safeReturnTo(url.searchParams.get('returnTo'));
  if (locals.user) redirect(303, returnTo);
  const options = await locals.api.execute<{ signInOptions: { oidc: string | null } }>('query { signInOptions { oidc } }');
  return {
    returnTo,
    oidc: options.ok ? options.data.signInOptions.oidc : null,
    problem: url.searchParams.get('problem'),
  };
};

export const actions: Actions = {
  /** Email and password; SvelteKit checks the form came from this origin (CSRF). */
  default: async ({ request, cookies, fetch, locals, getClientAddress }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const returnTo = safeReturnTo(String(form.get('returnTo') ?? '/'));
    const errors: Array<{ field: 'email' | 'password'; message: string }> = [];
    if (email === '') errors.push({ field: 'email', message: 'Enter your email address' });
    if (password === '') errors.push({ field: 'password', message: 'Enter your password' });
    if (errors.length > 0) return fail(400, { email, errors });

    const answer = await callAuth<SignInAnswer>(fetch, locals.apiUrl, '/auth/sign-in', { email, password }, { 'x-forwarded-for': getClientAddress() });
    if (!answer.ok) return fail(answer.status === 429 ? 429 : 400, { email, errors: [{ field: 'email' as const, message: answer.message }] });
    setSessionCookie(cookies, answer.data.token, answer.data.expiresAt);
    redirect(303, returnTo);
  },
};
