import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { parseUrn } from '$lib/school-pupils';
import { loadSchoolPage } from '$lib/server/benchmarks';

/** A school's page: figures for groups of pupils only (every role of the LA; school users their own school). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const urn = parseUrn(params.urn);
  if (urn === null) error(404, { message: 'There is no school with that URN', code: 'NOT_FOUND' });
  const page = await loadSchoolPage(locals.api, urn, url.searchParams);
  if (!page) error(404, { message: 'There is no school with that URN in your local authority', code: 'NOT_FOUND' });
  return { page, pupilLevel: locals.user?.pupilLevel ?? false };
};
