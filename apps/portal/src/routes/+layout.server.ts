import type { LayoutServerLoad } from './$types';
import { NEW_CONCERNS_QUERY, followsChildren } from '$lib/social-care';

/**
 * Who is signed in, for the header on every page; for roles that follow children, how many
 * concerns are new to them (the menu shows the count). Read on every navigation (`url`), since
 * opening the caseload or the virtual school page marks concerns seen.
 */
export const load: LayoutServerLoad = async ({ locals, url }) => {
  const user = locals.user;
  let newConcerns: number | null = null;
  if (user && followsChildren(user.role) && url.pathname !== '/login') {
    const result = await locals.api.execute<{ newConcerns: number }>(NEW_CONCERNS_QUERY);
    // The count is a courtesy: a failure here must not take the page down.
    if (result.ok) newConcerns = result.data.newConcerns;
  }
  return { user, newConcerns };
};
