import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { CHILD_QUERY, UPN_PATTERN } from '$lib/social-care';

/** One child's page; the API answers null for a child you may not see (and audits the attempt). */
export const load: PageServerLoad = async ({ locals, params }) => {
  const upn = params.upn.toUpperCase();
  if (!UPN_PATTERN.test(upn)) error(404, { message: 'There is no child with that UPN', code: 'NOT_FOUND' });
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const { socialCareChild } = await locals.api.request<{ socialCareChild: any }>(CHILD_QUERY, { upn });
  if (!socialCareChild) error(404, { message: 'There is no child with that UPN that you may see', code: 'NOT_FOUND' });
  return { child: socialCareChild };
};
