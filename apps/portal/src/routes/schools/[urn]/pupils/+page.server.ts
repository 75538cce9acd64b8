import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { parseUrn, SCHOOL_PUPILS_QUERY, type SchoolPupils } from '$lib/school-pupils';

/** The pupils of a school the user may see; the API filters by the user's scope and audits the read. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const urn = parseUrn(params.urn);
  if (urn === null) error(404, { message: 'There is no school with that URN', code: 'NOT_FOUND' });
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  const year = url.searchParams.get('year');
  const { schoolPupils } = await locals.api.request<{ schoolPupils: SchoolPupils }>(SCHOOL_PUPILS_QUERY, {
    urn,
    academicYear: year && /^\d{4}\/\d{2}$/.test(year) ? year : null,
  });
  return { list: schoolPupils };
};
