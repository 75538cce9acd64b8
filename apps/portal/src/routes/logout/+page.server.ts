import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { apiBase, SESSION_COOKIE } from '$lib/server/session';

/** Sign-out is a POST (a link could be followed by another site); GET shows the button. */
export const load: PageServerLoad = () => ({});

export const actions: Actions = {
  default: async ({ cookies, fetch, locals, request }) => {
    await fetch(`${apiBase(locals.apiUrl)}/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: request.headers.get('cookie') ?? '' },
    }).catch(() => undefined);
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  },
};
