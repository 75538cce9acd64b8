import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { ACADEMIC_YEARS_QUERY, newestFirst, parseSelection } from '$lib/la-overview';
import { REGION_OVERVIEW_QUERY, type RegionOverview } from './region';

/** The regional partnership's pooled figures and each LA's, for the year and scope in the URL. */
export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.user?.role !== 'regional') {
    error(403, { message: 'The regional overview is for regional partnership users.', code: 'FORBIDDEN' });
  }
  const { academicYears } = await locals.api.request<{ academicYears: string[] }>(ACADEMIC_YEARS_QUERY);
  if (academicYears.length === 0) return { state: 'empty' as const };
  const years = newestFirst(academicYears);
  const parsed = parseSelection(url.searchParams, years);
  if (!parsed.ok) error(parsed.problem.status, { message: parsed.problem.message, code: 'BAD_SELECTION' });
  const { regionOverview } = await locals.api.request<{ regionOverview: RegionOverview }>(REGION_OVERVIEW_QUERY, {
    academicYear: parsed.selection.year,
    scope: parsed.selection.scope,
  });
  return {
    state: 'ready' as const,
    years,
    selection: parsed.selection,
    region: regionOverview,
    producedOn: new Date().toISOString().slice(0, 10),
  };
};
